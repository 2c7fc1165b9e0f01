/**
 * What the data dir holds, read the way a restart would but independently of the store's code:
 * state.json (a snapshot) with every op of ops-<n>.jsonl (n ≥ its "wal") applied, and history.jsonl.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const lines = (file: string): any[] =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

/** The namespaces' records as the files say: `{ namespaces: { <name>: { webhooks, preferences, tokens, … } } }`. */
export function diskState(dir: string): { namespaces: Record<string, any> } {
  const file = join(dir, "state.json");
  const snap = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { wal: 0, namespaces: {} };
  const namespaces: Record<string, any> = structuredClone(snap.namespaces ?? {});
  const logs = readdirSync(dir)
    .map((f) => /^ops-(\d+)\.jsonl$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) >= (snap.wal ?? 0))
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  for (const m of logs) {
    for (const op of lines(join(dir, m[0]))) {
      const s = namespaces[op.ns];
      if (op.op === "init") namespaces[op.ns] = structuredClone(op.state);
      else if (op.op === "drop") delete namespaces[op.ns];
      else if (!s) continue;
      else if (op.op === "set") s[op.field] = op.value;
      else if (op.op === "put" && op.coll === "storage_identity") s.storage_identity[op.key] = op.value;
      else if (op.op === "put") {
        const key = op.coll === "tokens" ? "token" : "id";
        const at = s[op.coll].findIndex((x: any) => x[key] === op.value[key]);
        if (at === -1) s[op.coll].push(op.value);
        else s[op.coll][at] = op.value;
      } else if (op.op === "del") s[op.coll] = s[op.coll].filter((x: any) => !op.keys.includes(x.id));
    }
  }
  return { namespaces };
}

/** Every line of history.jsonl, parsed. */
export const diskHistory = (dir: string): any[] => lines(join(dir, "history.jsonl"));
