import type { LiveboardRecord } from "../schemas/liveboards.js";
import type { NamespaceState, TokenRecord } from "../schemas/records.js";

/** A namespace's records in memory: as stored, with tokens in a Map by token (and every list present). */
export type NamespaceRecords = Required<Omit<NamespaceState, "tokens">> & { tokens: Map<string, TokenRecord> };

/**
 * An independent in-memory copy of stored records (records themselves are never changed in place).
 * A namespace stored before Liveboards existed gets `liveboards` (the current fixtures' ones).
 */
export function recordsOf(state: NamespaceState, liveboards: LiveboardRecord[] = []): NamespaceRecords {
  return {
    orgs: [...state.orgs],
    users: [...state.users],
    secret_key: state.secret_key,
    preferences: state.preferences,
    webhooks: [...state.webhooks],
    tokens: new Map(state.tokens.map((t) => [t.token, t])),
    storage_identity: { ...state.storage_identity },
    liveboards: [...(state.liveboards ?? liveboards)],
    schedules: [...(state.schedules ?? [])],
    schedule_runs: { ...state.schedule_runs },
  };
}

/** The stored shape of in-memory records (tokens as a list). */
export function stateOf(r: NamespaceRecords): NamespaceState {
  return { ...r, tokens: [...r.tokens.values()] };
}

/** A second in-memory copy: the lists and maps are new, the records in them shared. */
export function copyRecords(r: NamespaceRecords): NamespaceRecords {
  return {
    ...r,
    orgs: [...r.orgs],
    users: [...r.users],
    webhooks: [...r.webhooks],
    tokens: new Map(r.tokens),
    storage_identity: { ...r.storage_identity },
    liveboards: [...r.liveboards],
    schedules: [...r.schedules],
    schedule_runs: { ...r.schedule_runs },
  };
}
