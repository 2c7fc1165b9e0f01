/**
 * Crash safety under load, 20 rounds on one data dir: start the real CLI, run a concurrent write
 * load (configure / webhook update / validate), SIGKILL it at a seeded random moment while requests
 * are in flight, start it again on the same dir. Every start must succeed (the data files always
 * load) and every mutation that got a 2xx must be there:
 *   - validate: the job is found by its id;
 *   - configure: each org shows the latest acknowledged value or a later one;
 *   - webhook update: the description is the latest acknowledged one or a later one.
 * "Later" is judged by wall-clock order: a write acknowledged before another write was sent can no
 * longer be the final value once that other write is acknowledged too.
 * `CRASH_SEED=<n>` reruns a seed; on failure the data dir is kept and printed.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, onTestFailed } from "vitest";
import { type CliProcess, createWebhookHttp, httpLogin, killAll, prng, startCli, tempDirs, tryHttp } from "../support/index.js";

const SEED = Number(process.env.CRASH_SEED ?? 4242);
const ROUNDS = 20;
const WORKERS = 12;
const B = "/api/rest/2.0";
const ORGS = [
  { id: "0", name: "Primary" },
  { id: "1532970882", name: "testOrg" },
  { id: "2100019165", name: "testOrg1" },
] as const;
const CHANNEL_SETS = [["EMAIL"], ["WEBHOOK"], ["EMAIL", "WEBHOOK"], []] as const;
const NONE = "(no override)";

interface Write {
  value: string;
  sent: number;
  /** When the 2xx arrived; null = no 2xx (in flight at the kill). */
  acked: number | null;
}

/**
 * The values the store may hold after the crash: the previous verified value or any write of this
 * round, minus those known to be superseded (acknowledged before an acknowledged write was sent).
 */
function allowedValues(baseline: string, writes: Write[]): Set<string> {
  const lastAckedSend = Math.max(-Infinity, ...writes.filter((w) => w.acked !== null).map((w) => w.sent));
  const candidates: Write[] = [{ value: baseline, sent: -Infinity, acked: -Infinity }, ...writes];
  return new Set(candidates.filter((w) => !(w.acked !== null && w.acked < lastAckedSend)).map((w) => w.value));
}

const dirs = tempDirs("emu-crash-");
let failed = false;
let crashedDir = "";
afterEach(async () => {
  await killAll();
});
afterAll(() => {
  if (failed) console.log(`[crash] data dirs kept for inspection: ${dirs.list.join(", ")}`);
  else dirs.removeAll();
});

async function start(dir: string, round: number): Promise<{ proc: CliProcess; base: string }> {
  const proc = startCli(["--port", "0", "--data-dir", dir, "--token-ttl", "3600", "--seed", String(SEED + round)]);
  try {
    return { proc, base: await proc.ready(20_000) };
  } catch (err) {
    throw new Error(
      `round ${round}: the CLI did not start on the data dir ${dir} after the previous SIGKILL (seed ${SEED}):\n${(err as Error).message}`,
    );
  }
}

/** Runs fn over items with `limit` in parallel. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** Job ids that the restarted server cannot find by id. */
async function missingJobs(base: string, token: string, ids: string[]): Promise<string[]> {
  const missing: string[] = [];
  await pool(ids, 16, async (id) => {
    const h = await tryHttp(base, `${B}/jobs/history/communication-channels/search`, { channel_type: "WEBHOOK", job_ids: [id] }, token);
    if (h.status !== 200 || h.body?.jobs?.length !== 1 || h.body.jobs[0].id !== id)
      missing.push(`${id} (${h.status} ${h.text.slice(0, 120)})`);
  });
  return missing;
}

describe(`SIGKILL under a write load, ${ROUNDS} rounds on one data dir (seed ${SEED})`, () => {
  it("always restarts and keeps every acknowledged configure, webhook update and validation", async () => {
    onTestFailed(() => {
      failed = true;
    });
    const dir = dirs.make();
    const r = prng(SEED);
    const allJobs: string[] = [];
    // What the store must show, as verified after the last restart.
    const prefs: Record<string, string> = Object.fromEntries(ORGS.map((o) => [o.id, NONE]));
    let description = "initial";
    let hookId = "";
    let previousToken = "";
    let pendingJobs: string[] = [];
    let pendingPrefs: Record<string, Write[]> = {};
    let pendingUpdates: Write[] = [];
    const stats: string[] = [];

    for (let round = 0; round <= ROUNDS; round++) {
      const { proc, base } = await start(dir, round);

      if (round > 0) {
        // The token acknowledged before the kill still works (tokens are durable state too).
        const token = previousToken;
        const missing = await missingJobs(base, token, pendingJobs);
        expect(
          missing,
          `round ${round - 1}: validations acknowledged before the SIGKILL but missing after the restart (seed ${SEED}, dir ${dir})`,
        ).toEqual([]);

        const ps = await tryHttp(
          base,
          `${B}/system/preferences/communication-channels/search`,
          { org_preferences: ORGS.map((o) => ({ org_identifier: o.id })) },
          token,
        );
        expect(ps.status, ps.text).toBe(200);
        for (const o of ORGS) {
          const entry = ps.body.org_preferences.find((e: any) => e.org.id === o.id);
          const actual = entry?.preferences?.length ? [...entry.preferences[0].channels].sort().join(",") : NONE;
          const allowed = allowedValues(prefs[o.id], pendingPrefs[o.id] ?? []);
          expect(
            allowed.has(actual),
            `round ${round - 1}: org ${o.name} has channels "${actual}" after the restart; allowed (latest acknowledged or later): ${[...allowed].map((v) => `"${v}"`).join(", ")} (seed ${SEED})`,
          ).toBe(true);
          prefs[o.id] = actual;
        }

        const hooks = await tryHttp(base, `${B}/webhooks/search`, {}, token);
        expect(hooks.status, hooks.text).toBe(200);
        expect(
          hooks.body.webhooks.map((w: any) => w.id),
          "exactly the one webhook of testOrg1",
        ).toEqual([hookId]);
        const actualDescription = hooks.body.webhooks[0].description;
        const allowedDescriptions = allowedValues(description, pendingUpdates);
        expect(
          allowedDescriptions.has(actualDescription),
          `round ${round - 1}: webhook description "${actualDescription}" after the restart; allowed (latest acknowledged or later): ${[...allowedDescriptions].slice(0, 20).join(", ")} (seed ${SEED})`,
        ).toBe(true);
        description = actualDescription;
      }
      if (round === ROUNDS) {
        // Last start: every validation acknowledged in any round is still there.
        const token = await httpLogin(base, "admin", { org_id: Number(ORGS[2].id) });
        const missing = await missingJobs(base, token, allJobs);
        expect(missing, `validations of earlier rounds missing at the end (seed ${SEED})`).toEqual([]);
        await proc.kill();
        break;
      }

      const token = await httpLogin(base, "admin", { org_id: Number(ORGS[2].id) });
      previousToken = token;
      if (round === 0) {
        const created = await createWebhookHttp(base, token, { name: "crash-hook", url: "https://hooks.example.com/crash", description });
        hookId = created.id;
      }

      // The write load: WORKERS loops, each always with one request in flight, until the kill.
      pendingJobs = [];
      pendingPrefs = {};
      pendingUpdates = [];
      const unexpected: string[] = [];
      let killedAt: number | null = null;
      let inFlight = 0;
      let acked = 0;
      const worker = async (w: number) => {
        const wr = prng(SEED * 1000 + round * 100 + w);
        for (let seq = 0; killedAt === null; seq++) {
          const roll = wr.next();
          const sent = performance.now();
          inFlight++;
          let what: string;
          let onAck: (body: any, at: number) => void;
          let res: Awaited<ReturnType<typeof tryHttp>>;
          if (roll < 0.4) {
            what = "validate";
            res = await tryHttp(
              base,
              `${B}/system/communication-channels/validate`,
              { channel_type: "WEBHOOK", channel_identifier: hookId, event_type: "LIVEBOARD_SCHEDULE" },
              token,
            );
            onAck = (body) => pendingJobs.push(body.job_id);
          } else if (roll < 0.7) {
            const org = wr.pick(ORGS);
            const channels = wr.pick(CHANNEL_SETS);
            const write: Write = { value: [...channels].sort().join(","), sent, acked: null };
            (pendingPrefs[org.id] ??= []).push(write);
            what = `configure ${org.name} ${write.value}`;
            res = await tryHttp(
              base,
              `${B}/system/preferences/communication-channels/configure`,
              {
                org_preferences: [
                  { org_identifier: org.id, operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels }] },
                ],
              },
              token,
            );
            onAck = (_b, at) => void (write.acked = at);
          } else {
            const write: Write = { value: `r${round}-w${w}-s${seq}`, sent, acked: null };
            pendingUpdates.push(write);
            what = `update ${write.value}`;
            res = await tryHttp(base, `${B}/webhooks/${hookId}/update`, { description: write.value }, token);
            onAck = (_b, at) => void (write.acked = at);
          }
          inFlight--;
          const at = performance.now();
          if (res.status >= 200 && res.status < 300) {
            acked++;
            onAck(res.body, at);
          } else if (res.status !== 0 || killedAt === null) {
            unexpected.push(`${what} → ${res.status} ${res.text.slice(0, 200)} ${res.error ?? ""}`);
            if (res.status === 0) break; // the server went away by itself
          }
        }
      };
      const killDelay = r.int(50, 900);
      const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
      await new Promise((resolve) => setTimeout(resolve, killDelay));
      const inFlightAtKill = inFlight;
      killedAt = performance.now();
      const exit = await proc.kill();
      await Promise.all(workers);
      expect(exit.signal).toBe("SIGKILL");
      expect(unexpected, `round ${round}: non-2xx answers during the load (seed ${SEED})`).toEqual([]);
      expect(inFlightAtKill, "requests were in flight at the kill").toBeGreaterThan(0);
      allJobs.push(...pendingJobs);
      stats.push(`${killDelay}ms/${acked}ok/${inFlightAtKill}inflight`);
    }

    crashedDir = dir;
    console.log(
      `[crash] seed ${SEED}: ${ROUNDS} rounds (kill after / acknowledged / in flight): ${stats.join(" ")}; ${allJobs.length} validations verified`,
    );
  });

  it("a start-up after the crashes leaves no temp files of killed writers behind in the data dir", async () => {
    expect(crashedDir, "needs the data dir of the crash rounds above").not.toBe("");
    const { proc } = await start(crashedDir, ROUNDS + 1);
    await proc.kill();
    const leftovers = readdirSync(crashedDir)
      .filter((f) => f.endsWith(".tmp"))
      .map((f) => `${f} (${statSync(join(crashedDir, f)).size} bytes)`);
    expect(
      leftovers.length,
      `temp files of state writes interrupted by SIGKILL accumulate in ${crashedDir} (at most one per crash, never cleaned up at start-up): ${leftovers.join(", ")}`,
    ).toBe(0);
  });
});
