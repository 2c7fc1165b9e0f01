import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Adapter } from "lowdb";
import type { Fixtures } from "../fixtures.js";
import type { NamespaceState } from "../schemas/records.js";
import { DataFileError } from "./files.js";

export const STATE_FILE = "state.json";
export const HISTORY_FILE = "history.jsonl";
const FORMAT = "thoughtspot-channels-emulator/1";

/** state.json: every namespace's records (job history lives in history.jsonl). */
export interface DbFile {
  format: string;
  namespaces: Record<string, NamespaceState>;
}

export const emptyDb = (): DbFile => ({ format: FORMAT, namespaces: {} });

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
  });
}

export function memoryAdapter(): Adapter<DbFile> {
  return { read: async () => null, write: async () => {} };
}

export function checkDbShape(data: unknown, file: string): asserts data is DbFile {
  const d = data as DbFile;
  if (typeof d !== "object" || d === null || d.format !== FORMAT || typeof d.namespaces !== "object" || d.namespaces === null) {
    throw new DataFileError(file, `it is not an emulator state file (expected {"format":"${FORMAT}","namespaces":{...}})`);
  }
  for (const [name, s] of Object.entries(d.namespaces)) {
    for (const key of ["orgs", "users", "webhooks", "tokens"] as const) {
      if (!Array.isArray(s?.[key])) throw new DataFileError(file, `namespaces.${name}.${key} is not an array`);
    }
    if (typeof s.preferences !== "object" || s.preferences === null) {
      throw new DataFileError(file, `namespaces.${name}.preferences is not an object`);
    }
  }
}

/** Temp files of writes cut off by a crash were never renamed into place: nothing refers to them. */
export function removeLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (/^state\.json\.\d+\.\d+\.tmp$/.test(name) || name === `${HISTORY_FILE}.compact.tmp`) rmSync(join(dir, name), { force: true });
  }
}
