/**
 * State for the "commit cost vs state size" rows: many namespaces made through the API (one small
 * change each), or many tokens written straight into a data dir's op log in the documented op
 * format (README "Persistence"; src/store/ops.ts), which start-up then replays.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { loadFixtures } from "../src/fixtures.js";
import { createIds, seededRandom } from "../src/random.js";
import type { TokenRecord } from "../src/schemas/records.js";
import { opFileName } from "../src/store/op-log.js";
import type { Op } from "../src/store/ops.js";
import { seedState } from "../src/store/state-file.js";
import { API, call } from "./scenarios.js";

const LOGIN = { username: "tsadmin", password: "admin", org_id: 2100019165, validity_time_in_sec: 86400 };

/** `count` namespaces ns-0 … ns-<count-1>, each made (and persisted) by one login in it; `concurrency` at a time. */
export async function createNamespaces(base: string, count: number, concurrency = 32): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${base}${API}/auth/token/full`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-emulator-namespace": `ns-${i}` },
        body: JSON.stringify(LOGIN),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`login in ns-${i} answered ${res.status}: ${text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Writes `<dir>/ops-000000.jsonl`: the default namespace's init (the fixtures) and `count` 24 h
 * tokens of tsadmin in testOrg1, as logins would have logged them.
 */
export async function writeTokensOpLog(dir: string, count: number, now: number): Promise<void> {
  const out = createWriteStream(join(dir, opFileName(0)), { mode: 0o600 });
  const put = async (op: Op) => {
    if (!out.write(`${JSON.stringify(op)}\n`)) await once(out, "drain");
  };
  const state = seedState(loadFixtures());
  const user = state.users.find((u) => u.name === LOGIN.username)!;
  await put({ ns: "default", op: "init", gen: 0, state });
  const ids = createIds(seededRandom(1, "bench-tokens"));
  for (let i = 0; i < count; i++) {
    const value: TokenRecord = {
      token: ids.token(),
      user_id: user.id,
      org_id: String(LOGIN.org_id),
      creation_time_in_millis: now - count + i,
      expiration_time_in_millis: now + LOGIN.validity_time_in_sec * 1000,
      revoked: false,
      kind: "token",
    };
    await put({ ns: "default", op: "put", coll: "tokens", value });
  }
  out.end();
  await once(out, "finish");
}

/** How many tokens the caller's namespace holds (GET /_emulator/state). */
export async function tokenCount(base: string, token: string): Promise<number> {
  return (await call(base, "/_emulator/state", undefined, token, "GET")).json?.tokens ?? NaN;
}
