import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Fixtures } from "../fixtures.js";
import type { NamespaceState } from "../schemas/records.js";

/** The data dir's files: the state snapshot, the op logs beside it (`ops-<n>.jsonl`) and the history log. */
export const STATE_FILE = "state.json";
export const HISTORY_FILE = "history.jsonl";

/** A namespace as the fixtures describe it. */
export function seedState(f: Fixtures): NamespaceState {
  return structuredClone({
    orgs: f.orgs,
    users: f.users,
    secret_key: f.secret_key,
    preferences: f.preferences,
    webhooks: f.webhooks,
    tokens: [],
    storage_identity: {},
    liveboards: f.liveboards,
    schedules: f.schedules,
    schedule_runs: {},
  });
}

/** Temp files of writes cut off by a crash were never renamed into place: nothing refers to them. */
export function removeLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (/^state\.json\.\d+\.snapshot\.tmp$/.test(name) || /\.(compact|repair)\.tmp$/.test(name)) rmSync(join(dir, name), { force: true });
  }
}
