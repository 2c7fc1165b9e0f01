/**
 * Event-loop delay under hostile inputs: the built CLI (`node dist/cli.js`, a data dir) takes each
 * hostile input below, and `event_loop_delay_ms.max` of GET /_emulator/metrics (reset just before)
 * must stay ≤ 50 ms: no single request holds every other one up. Memory stays bounded, and a
 * flood of namespaces persists nothing.
 *
 * Before the fixes (the previous build, same 2-core machine, measured with the same requests):
 *   - a stored path_prefix of 100k slashes: validation held the loop 9.1 s (quadratic trim; 1 MB ≈ 15 min);
 *     a 1 MB path_prefix or name was accepted and stored;
 *   - a 1 MB body of `[`: 130 ms; a 1 MB body of 333k `{}`: 288 ms;
 *   - synthesizing 300k jobs: 13.3 s, RSS 1.59 GB;
 *   - six concurrent history searches over 300k jobs: 18.2 s, /_emulator/health answered after 11.1 s,
 *     each answer 185 MB, RSS 1.97 GB;
 *   - 20k distinct X-Emulator-Namespace values on unauthenticated calls: 61 ms (namespaces were
 *     already capped and not persisted; this test keeps it so).
 */

import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSAGES } from "../../src/schemas/messages.js";
import {
  API,
  type CliProcess,
  createWebhookHttp,
  debugText,
  ensureBuilt,
  httpLogin,
  httpRequest,
  killAll,
  MB,
  ORGS,
  readFixtures,
  rssOf,
  startCli,
  tempDirs,
  userId,
} from "../support/index.js";

const LOOP_MAX_MS = 50;
const HISTORY = `${API}/jobs/history/communication-channels/search`;
const dirs = tempDirs("hostile-inputs-");
const SLASH_HOOK = "5a5a5a5a-0000-4000-8000-000000000001";

interface Cli {
  proc: CliProcess;
  base: string;
  dir: string;
}

async function start(extra: string[] = []): Promise<Cli> {
  const dir = dirs.make();
  const proc = startCli(["--port", "0", "--data-dir", join(dir, "data"), "--seed", "8", "--token-ttl", "3600", ...extra], { dist: true });
  return { proc, base: await proc.ready(), dir };
}

/**
 * Runs `fn` between POST /_emulator/metrics/reset and GET /_emulator/metrics: the loop's worst
 * delay meanwhile. The machine is shared (2 cores, this test's client, other processes): a process
 * that gets no CPU for a while shows as loop delay too. A stall the emulator causes shows on every
 * run, one the machine causes does not, so `fn` is run up to `attempts` times and the smallest
 * worst delay counts. `fn` must be repeatable; the result is that of the last run.
 */
async function loopMaxDuring<T>(
  base: string,
  label: string,
  fn: () => Promise<T>,
  attempts = 3,
): Promise<{ max: number; result: T; runs: number[] }> {
  const runs: number[] = [];
  let result!: T;
  for (let a = 0; a < attempts; a++) {
    const reset = await httpRequest(base, "POST", "/_emulator/metrics/reset", {});
    expect(reset.status).toBe(200);
    result = await fn();
    const metrics = await httpRequest(base, "GET", "/_emulator/metrics");
    runs.push(metrics.body.event_loop_delay_ms.max);
    if (runs.at(-1)! <= LOOP_MAX_MS) break;
  }
  console.log(`[hostile-inputs] ${label}: event-loop delay max ${runs.join(" / ")} ms`);
  return { max: Math.min(...runs), result, runs };
}

/** A fixture webhook (in testOrg) whose stored path_prefix is `prefix`: stored data is not bound by the request limits. */
function slashFixtures(prefix: string) {
  const fixtures = readFixtures();
  const admin = { id: userId("tsadmin"), name: "tsadmin" };
  fixtures.webhooks = [
    {
      id: SLASH_HOOK,
      name: "Slashes",
      description: null,
      org: { id: String(ORGS.testOrg), name: "testOrg" },
      url: "https://hooks.example.com/slashes",
      url_params: null,
      events: ["LIVEBOARD_SCHEDULE"],
      authentication: null,
      signature_verification: null,
      additional_headers: null,
      creation_time_in_millis: 1_774_876_000_000,
      modification_time_in_millis: 1_774_876_000_000,
      created_by: admin,
      last_modified_by: admin,
      storage_destination: {
        storage_type: "AWS_S3",
        storage_config: {
          aws_s3_config: {
            bucket_name: "my-webhook-files",
            region: "us-east-1",
            role_arn: "arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole",
            external_id: "ts-webhook-slashes01",
            path_prefix: prefix,
          },
        },
      },
      status: "ENABLED",
    },
  ];
  return fixtures;
}

const SLASHES = "/".repeat(500_000);

beforeAll(() => {
  ensureBuilt();
});

afterAll(async () => {
  await killAll();
  dirs.removeAll();
});

describe("event-loop delay under hostile inputs", () => {
  let cli: Cli;

  beforeAll(async () => {
    const fixturesFile = join(dirs.make(), "fixtures.json");
    writeFileSync(fixturesFile, JSON.stringify(slashFixtures(`${SLASHES}exports${SLASHES}`)));
    cli = await start(["--fixtures", fixturesFile, "--no-fsync"]);
  });

  it("a 1 MB path_prefix of slashes: refused with the limit; a stored one is trimmed in linear time", async () => {
    const token = await httpLogin(cli.base, "admin", { org_id: ORGS.testOrg1, namespace: "prefix" });
    const create = await loopMaxDuring(cli.base, "create with a 1 MB path_prefix", () =>
      httpRequest(
        cli.base,
        "POST",
        `${API}/webhooks/create`,
        {
          name: "long prefix",
          url: "https://hooks.example.com/p",
          events: ["LIVEBOARD_SCHEDULE"],
          storage_destination: {
            storage_type: "AWS_S3",
            storage_config: {
              aws_s3_config: { bucket_name: "b", region: "us-east-1", role_arn: "arn", path_prefix: `a${"/".repeat(1_000_000)}a` },
            },
          },
        },
        { token },
      ),
    );
    expect(create.result.status).toBe(400);
    expect(debugText(create.result.body)).toBe(
      "Field 'storage_destination.storage_config.aws_s3_config.path_prefix' can be at most 1024 characters long.",
    );
    expect(create.max, `loop max per run: ${create.runs}`).toBeLessThanOrEqual(LOOP_MAX_MS);

    const inTestOrg = await httpLogin(cli.base, "admin", { org_id: ORGS.testOrg, namespace: "prefix" });
    const body = { channel_type: "WEBHOOK", channel_identifier: SLASH_HOOK, event_type: "LIVEBOARD_SCHEDULE" };
    const validate = await loopMaxDuring(cli.base, "validate a stored 1 MB path_prefix", () =>
      httpRequest(cli.base, "POST", `${API}/system/communication-channels/validate`, body, { token: inTestOrg }),
    );
    expect(validate.result.status, validate.result.text).toBe(200);
    expect(validate.result.body.details[0].aws_s3_info.object_key).toMatch(
      /^exports\/cluster-[^/]+\/org-\d+\/user-[^/]+\/liveboard\/validation_dummy_\d{8}_\d{6}\.pdf$/,
    );
    expect(validate.max, `loop max per run: ${validate.runs}`).toBeLessThanOrEqual(LOOP_MAX_MS);
  });

  it("a 1 MB webhook name: refused with the limit", async () => {
    const token = await httpLogin(cli.base, "admin", { org_id: ORGS.testOrg1, namespace: "name" });
    const { max, result, runs } = await loopMaxDuring(cli.base, "create with a 1 MB name", () =>
      httpRequest(
        cli.base,
        "POST",
        `${API}/webhooks/create`,
        { name: "n".repeat(1_000_000), url: "https://hooks.example.com/n", events: ["LIVEBOARD_SCHEDULE"] },
        { token },
      ),
    );
    expect(result.status).toBe(400);
    expect(debugText(result.body)).toBe("Field 'name' can be at most 255 characters long.");
    expect(max, `loop max per run: ${runs}`).toBeLessThanOrEqual(LOOP_MAX_MS);
  });

  it("deep and wide 1 MB bodies: refused before they are parsed", async () => {
    const token = await httpLogin(cli.base, "admin", { org_id: ORGS.testOrg1, namespace: "bodies" });
    const bodies: [string, string][] = [
      ["[".repeat(1_000_000), "The request body is nested more than 32 levels deep."],
      [`{"a":${"[".repeat(499_990)}${"]".repeat(499_990)}}`, "The request body is nested more than 32 levels deep."],
      [`{"a":[${"{},".repeat(333_000)}{}]}`, "The request body holds more than 50000 JSON values."],
      [`{"a":[${"1,".repeat(499_000)}1]}`, "The request body holds more than 50000 JSON values."],
    ];
    for (const [raw, text] of bodies) {
      const { max, result, runs } = await loopMaxDuring(cli.base, `${text} (${raw.slice(0, 12)}…)`, () =>
        httpRequest(cli.base, "POST", `${API}/webhooks/search`, undefined, { token, raw }),
      );
      expect(result.status).toBe(400);
      expect(debugText(result.body)).toBe(text);
      expect(max, `${text} (${raw.slice(0, 12)}…), loop max per run: ${runs}`).toBeLessThanOrEqual(LOOP_MAX_MS);
    }
  });

  it("a huge synthesize (300k jobs): the loop keeps turning and memory stays flat", async () => {
    const token = await httpLogin(cli.base, "admin", { org_id: ORGS.testOrg1, namespace: "synth" });
    await createWebhookHttp(cli.base, token, { name: "synth", url: "https://hooks.example.com/s" });
    const pid = cli.proc.child.pid!;
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pid) ?? 0);
    }, 50);
    const { max, result, runs } = await loopMaxDuring(cli.base, "synthesize 300k jobs", () =>
      httpRequest(cli.base, "POST", "/_emulator/jobs/synthesize", { days: 3, runs_per_day: 100_000 }, { token }),
    );
    clearInterval(sampler);
    expect(result.status, result.text).toBe(200);
    expect(result.body.created[0].jobs).toBeGreaterThan(299_000);
    expect(max, `loop max per run: ${runs}`).toBeLessThanOrEqual(LOOP_MAX_MS);
    expect(peak / MB, "peak RSS (MB) while synthesizing").toBeLessThan(512);
  });

  it("six concurrent history searches over 300k jobs: 1,000 jobs each, and /_emulator/health answers meanwhile", async () => {
    const token = await httpLogin(cli.base, "admin", { org_id: ORGS.testOrg1, namespace: "search" });
    const hook = await createWebhookHttp(cli.base, token, { name: "search", url: "https://hooks.example.com/q" });
    const synth = await httpRequest(cli.base, "POST", "/_emulator/jobs/synthesize", { days: 3, runs_per_day: 100_000 }, { token });
    expect(synth.status, synth.text).toBe(200);
    const body = { channel_type: "WEBHOOK", channel_identifiers: [hook.id], events: [{ type: "LIVEBOARD_SCHEDULE" }] };
    const healthMs: number[] = [];
    const { max, result, runs } = await loopMaxDuring(cli.base, "six history searches over 300k jobs", async () => {
      const searches = Array.from({ length: 6 }, () => httpRequest(cli.base, "POST", HISTORY, body, { token }));
      const started = performance.now();
      const health = await httpRequest(cli.base, "GET", "/_emulator/health");
      healthMs.push(performance.now() - started);
      return { health, answers: await Promise.all(searches) };
    });
    expect(result.health.status).toBe(200);
    expect(Math.min(...healthMs), `ms until /_emulator/health answered, per run: ${healthMs.map(Math.round)}`).toBeLessThan(LOOP_MAX_MS);
    for (const a of result.answers) {
      expect(a.status).toBe(200);
      const times = a.body.jobs.map((j: { creation_time_in_millis: number }) => j.creation_time_in_millis);
      expect(times).toHaveLength(1000);
      expect(times).toEqual([...times].sort((x: number, y: number) => y - x));
    }
    expect(max, `loop max per run: ${runs}`).toBeLessThanOrEqual(LOOP_MAX_MS);
  });
});

describe("a namespace flood", () => {
  it("20k distinct X-Emulator-Namespace values on unauthenticated calls: no stall, nothing persisted, RSS bounded", async () => {
    // Each run needs an emulator that has not seen the flood yet (see loopMaxDuring for why up to 3 runs).
    const runs: number[] = [];
    for (let attempt = 0; attempt < 3 && !(runs.at(-1)! <= LOOP_MAX_MS); attempt++) {
      const cli = await start();
      const data = join(cli.dir, "data");
      const files = () => Object.fromEntries(readdirSync(data).map((f) => [f, statSync(join(data, f)).size]));
      const filesBefore = files();
      const rssBefore = rssOf(cli.proc.child.pid!)!;
      const statuses = new Map<string, number>();
      const { max } = await loopMaxDuring(
        cli.base,
        "20k-namespace flood",
        async () => {
          const CONCURRENT = 10;
          for (let n = 0; n < 20_000; n += CONCURRENT) {
            const answers = await Promise.all(
              Array.from({ length: CONCURRENT }, (_, k) =>
                httpRequest(cli.base, "GET", `${API}/auth/session/user`, undefined, { namespace: `flood-${n + k}` }),
              ),
            );
            for (const a of answers) {
              const key = `${a.status} ${debugText(a.body)}`;
              statuses.set(key, (statuses.get(key) ?? 0) + 1);
            }
          }
        },
        1,
      );
      runs.push(max);
      // Each value makes a namespace (seeded from the fixtures, in memory) until --max-namespaces (1000, "default" included).
      expect(Object.fromEntries(statuses)).toEqual({
        [`401 ${MESSAGES.getCurrentUserInfo[401]}`]: 999,
        "400 The emulator already holds 1000 namespaces (--max-namespaces). Reset unused ones with POST /_emulator/reset, or start with a higher --max-namespaces.": 19_001,
      });
      expect(files(), "state.json and the ops / history logs do not grow with the flood").toEqual(filesBefore);
      const rssAfter = rssOf(cli.proc.child.pid!)!;
      expect((rssAfter - rssBefore) / MB, "RSS growth (MB) over the flood").toBeLessThan(100);
      const metrics = await httpRequest(cli.base, "GET", "/_emulator/metrics");
      expect(metrics.body.namespaces).toBeLessThanOrEqual(1000);
      await cli.proc.stop();
    }
    expect(Math.min(...runs), `loop max per run: ${runs}`).toBeLessThanOrEqual(LOOP_MAX_MS);
  });
});
