import type { Namespace } from "../context.js";
import { CLUSTER_ADMIN } from "../schemas/common.js";
import type { LiveboardRecord, ShareAccess } from "../schemas/liveboards.js";
import type { UserRecord } from "../schemas/records.js";

/** Liveboards (fixture data) and who may see or edit them (docs/decisions.md, "Schedules"). */

const isUser = (ident: string, user: UserRecord) => ident === user.id || ident === user.name;

/**
 * What the user may do with the Liveboard: MODIFY as its owner, as a cluster administrator or
 * where it is shared so; READ_ONLY where it is shared so; null when it is not theirs to see.
 */
export function liveboardAccess(user: UserRecord, board: LiveboardRecord): ShareAccess | null {
  if (user.privileges.includes(CLUSTER_ADMIN) || isUser(board.owner, user)) return "MODIFY";
  return board.shared_with.find((s) => isUser(s.user, user))?.access ?? null;
}

/** A Liveboard of one org by id or name (id first). */
export function findLiveboard(ns: Pick<Namespace, "state">, orgId: string, identifier: string): LiveboardRecord | undefined {
  const inOrg = ns.state.liveboards.filter((b) => b.org === orgId);
  return inOrg.find((b) => b.id === identifier) ?? inOrg.find((b) => b.name === identifier);
}

/** The Liveboard's owner as a user record, when the fixtures name one. */
export function ownerOf(ns: Pick<Namespace, "state">, board: LiveboardRecord): UserRecord | undefined {
  return ns.state.users.find((u) => isUser(board.owner, u));
}
