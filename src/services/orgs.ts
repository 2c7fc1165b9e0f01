import type { Namespace } from "../context.js";
import { badRequest, noOrgAccess } from "../errors.js";
import { CLUSTER_ADMIN } from "../schemas/common.js";
import type { Org, SearchOrgsRequest } from "../schemas/orgs.js";
import type { UserRecord } from "../schemas/records.js";

/** Finds an org by id or name (ids first, then exact name, then case-insensitive name). */
export function findOrg(ns: Pick<Namespace, "state">, identifier: string | number): Org | undefined {
  const id = String(identifier);
  const orgs = ns.state.orgs;
  return orgs.find((o) => o.id === id) ?? orgs.find((o) => o.name === id) ?? orgs.find((o) => o.name.toLowerCase() === id.toLowerCase());
}

export function requireOrg(ns: Namespace, identifier: string | number, message: string): Org {
  const org = findOrg(ns, identifier);
  if (!org) throw badRequest(message);
  return org;
}

/**
 * Whether the user may work in the org: a member, or a cluster administrator (who "can access
 * all Orgs by default", as the spec's getCurrentUserInfo note says; docs/decisions.md, "Org membership").
 */
export function mayUseOrg(user: UserRecord, org: Pick<Org, "id">): boolean {
  return user.orgs.includes(org.id) || user.privileges.includes(CLUSTER_ADMIN);
}

/** 400 code 13090 unless the user may work in the org. */
export function checkOrgAccess(user: UserRecord, org: Org): Org {
  if (!mayUseOrg(user, org)) throw noOrgAccess(user.name, org.id);
  return org;
}

/** An org a request names: unknown → 400 (code 10002) with `unknownMessage`; not the user's → 400 code 13090. */
export function orgFor(ns: Namespace, user: UserRecord, identifier: string | number, unknownMessage: string): Org {
  return checkOrgAccess(user, requireOrg(ns, identifier, unknownMessage));
}

/** POST /orgs/search: OrgResponse objects (integer ids); cluster admins see every org, others their own. */
export function searchOrgs(ns: Namespace, caller: UserRecord, q: SearchOrgsRequest) {
  let orgs = ns.state.orgs.filter((o) => mayUseOrg(caller, o));
  if (q.org_identifier !== undefined) {
    const org = findOrg(ns, q.org_identifier);
    if (org) checkOrgAccess(caller, org);
    orgs = orgs.filter((o) => o === org);
  }
  const description = q.description;
  if (description !== undefined) orgs = orgs.filter((o) => (o.description ?? "").includes(description));
  if (q.visibility === "HIDDEN" || q.status === "IN_ACTIVE") orgs = [];
  const idents = q.user_identifiers;
  if (idents?.length) {
    const users = ns.state.users.filter((u) => idents.some((i) => i === u.id || i === u.name));
    orgs = orgs.filter((o) => users.some((u) => u.orgs.includes(o.id)));
  }
  return orgs.map((o) => ({
    id: Number(o.id),
    name: o.name,
    status: "ACTIVE" as const,
    description: o.description ?? null,
    visibility: "SHOW" as const,
  }));
}
