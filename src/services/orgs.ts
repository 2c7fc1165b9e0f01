import type { Namespace } from "../context.js";
import { badRequest } from "../errors.js";
import type { Org, SearchOrgsRequest } from "../schemas/orgs.js";
import type { UserRecord } from "../schemas/records.js";

/** Finds an org by id or name (ids first, then exact name, then case-insensitive name). */
export function findOrg(ns: Namespace, identifier: string | number): Org | undefined {
  const id = String(identifier);
  const orgs = ns.state.orgs;
  return orgs.find((o) => o.id === id) ?? orgs.find((o) => o.name === id) ?? orgs.find((o) => o.name.toLowerCase() === id.toLowerCase());
}

export function requireOrg(ns: Namespace, identifier: string | number, message: string): Org {
  const org = findOrg(ns, identifier);
  if (!org) throw badRequest(message);
  return org;
}

/** POST /orgs/search: OrgResponse objects (integer ids); admins see every org, others their own. */
export function searchOrgs(ns: Namespace, caller: UserRecord, q: SearchOrgsRequest) {
  let orgs = ns.state.orgs;
  if (!caller.privileges.includes("ADMINISTRATION")) orgs = orgs.filter((o) => caller.orgs.includes(o.id));
  if (q.org_identifier !== undefined) {
    const org = findOrg(ns, q.org_identifier);
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
