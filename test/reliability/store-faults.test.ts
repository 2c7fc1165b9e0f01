/**
 * The store's promises under faults, with the real CLI on real files: a full disk and a file-size
 * limit (nothing acknowledged is lost, nothing failed shows, the data always loads), a data dir
 * removed under a running emulator, two emulators on one data dir, --seed across restarts,
 * compaction under concurrent reads, a reset during a delivery, SIGKILL during a large synthesize.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  API,
  type CliProcess,
  createWebhookHttp,
  httpLogin,
  httpRequest,
  killAll,
  prng,
  sleep,
  startCli,
  startReceiver,
  tempDirs,
  tryHttp,
  validateBody,
} from "../support/index.js";

const dirs = tempDirs("emu-faults-");
afterEach(async () => {
  await killAll();
});
afterAll(() => dirs.removeAll());

const HISTORY = `${API}/jobs/history/communication-channels/search`;
const VALIDATE = `${API}/system/communication-channels/validate`;
const FROZEN = ["--clock", "2026-03-30T12:00:00Z", "--freeze-clock", "--token-ttl", "86400"];

async function start(args: string[], wrap?: string[]): Promise<{ proc: CliProcess; base: string }> {
  const proc = startCli(["--port", "0", ...args], wrap ? { wrap } : {});
  return { proc, base: await proc.ready() };
}

async function jobIds(base: string, token: string, channel: string): Promise<string[]> {
  const res = await httpRequest(
    base,
    "POST",
    HISTORY,
    { channel_type: "WEBHOOK", channel_identifiers: [channel], events: [{ type: "LIVEBOARD_SCHEDULE" }] },
    { token },
  );
  expect(res.status, res.text).toBe(200);
  return res.body.jobs.map((j: { id: string }) => j.id);
}

async function jobById(base: string, token: string, id: string): Promise<unknown[]> {
  const res = await httpRequest(base, "POST", HISTORY, { channel_type: "WEBHOOK", job_ids: [id] }, { token });
  expect(res.status, res.text).toBe(200);
  return res.body.jobs;
}

const synthesize = (base: string, body: Record<string, unknown>) => tryHttp(base, "/_emulator/jobs/synthesize", body);

function canMountTmpfs(): boolean {
  const probe = join(dirs.make(), "mnt");
  mkdirSync(probe);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("a write the disk refuses", () => {
  it("under a file-size limit, answers 503 for a synthesize that cannot be written whole; every acknowledged job reloads", async () => {
    const dir = dirs.make();
    const limit = ["prlimit", "--fsize=300000", "--"];
    let { proc, base } = await start(["--data-dir", dir, ...FROZEN], limit);
    const token = await httpLogin(base, "admin");
    const hook = await createWebhookHttp(base, token, { url: "https://hooks.example.com/x" });
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) {
      const v = await httpRequest(base, "POST", VALIDATE, validateBody(hook.id), { token });
      expect(v.status, v.text).toBe(200);
      acked.push(v.body.job_id);
    }
    const big = await synthesize(base, { days: 3, runs_per_day: 400 });
    expect(big.status, big.text).toBe(503);
    expect(big.text).toMatch(/File too large|EFBIG/);
    // Synthesis is written in chunks: those on disk before the failure stay, and the answer says how many.
    const stored = Number(/(\d+) of the \d+ synthesized jobs were stored before it/.exec(big.text)?.[1] ?? 0);
    const all = await jobIds(base, token, hook.id);
    expect(acked.every((id) => all.includes(id))).toBe(true);
    const state = await httpRequest(base, "GET", "/_emulator/metrics");
    expect(state.body.history_jobs).toBe(acked.length + stored);
    const after = await httpRequest(base, "POST", VALIDATE, validateBody(hook.id), { token });
    expect(after.status, after.text).toBe(200);
    acked.push(after.body.job_id);
    const lines = readFileSync(join(dir, "history.jsonl"), "utf8");
    expect(lines.endsWith("\n")).toBe(true);
    await proc.stop();

    ({ proc, base } = await start(["--data-dir", dir, ...FROZEN]));
    const t2 = await httpLogin(base, "admin");
    const reloaded = await jobIds(base, t2, hook.id);
    expect(acked.every((id) => reloaded.includes(id))).toBe(true);
    expect((await httpRequest(base, "GET", "/_emulator/metrics")).body.history_jobs).toBe(acked.length + stored);
    expect(proc.stderr()).not.toMatch(/cut-off line/);
  });

  it.skipIf(!canMountTmpfs())(
    "on a full disk, answers 503, shows nothing of the failed change, and writes again once there is room",
    async () => {
      const mnt = join(dirs.make(), "disk");
      mkdirSync(mnt);
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt]);
      try {
        const dir = join(mnt, "data");
        let { proc, base } = await start(["--data-dir", dir, ...FROZEN]);
        const token = await httpLogin(base, "admin");
        const hook = await createWebhookHttp(base, token, { url: "https://hooks.example.com/x" });
        const filler = join(mnt, "filler");
        const free = () => Number(execFileSync("df", ["-B1", "--output=avail", mnt]).toString().trim().split("\n")[1]);
        writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 24 * 1024)));
        const acked: string[] = [];
        let refused: { status: number; text: string } | null = null;
        for (let i = 0; i < 200 && !refused; i++) {
          const v = await tryHttp(base, VALIDATE, validateBody(hook.id), token);
          if (v.status === 200) acked.push(v.body.job_id);
          else refused = v;
        }
        expect(refused?.status, refused?.text).toBe(503);
        expect(refused?.text).toMatch(/ENOSPC|no space/i);
        expect((await jobIds(base, token, hook.id)).sort()).toEqual([...acked].sort());
        // A configure that cannot be written changes nothing either.
        const prefs = {
          org_preferences: [{ org_identifier: "Primary", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] }] }],
        };
        const cfg = await tryHttp(base, `${API}/system/preferences/communication-channels/configure`, prefs, token);
        if (cfg.status !== 204) {
          expect(cfg.status).toBe(503);
          const search = await httpRequest(base, "POST", `${API}/system/preferences/communication-channels/search`, {}, { token });
          expect(search.body.org_preferences.find((o: { org: { id: string } }) => o.org.id === "0").preferences).toEqual([]);
        }
        rmSync(filler);
        const again = await httpRequest(base, "POST", VALIDATE, validateBody(hook.id), { token });
        expect(again.status, again.text).toBe(200);
        acked.push(again.body.job_id);
        await proc.stop();
        ({ proc, base } = await start(["--data-dir", dir, ...FROZEN]));
        expect((await jobIds(base, await httpLogin(base, "admin"), hook.id)).sort()).toEqual([...acked].sort());
        await proc.stop();
      } finally {
        execFileSync("umount", ["-l", mnt]);
      }
    },
  );

  it("notices a data dir removed under it: changes answer 503 naming the file, reads and /health still answer", async () => {
    const dir = dirs.make();
    const { base } = await start(["--data-dir", dir, ...FROZEN]);
    const token = await httpLogin(base, "admin");
    const hook = await createWebhookHttp(base, token, { url: "https://hooks.example.com/x" });
    rmSync(dir, { recursive: true, force: true });
    const v = await tryHttp(base, VALIDATE, validateBody(hook.id), token);
    expect(v.status, v.text).toBe(503);
    expect(v.text).toMatch(/removed or replaced/);
    const c = await tryHttp(base, `${API}/webhooks/${hook.id}/update`, { description: "changed" }, token);
    expect(c.status, c.text).toBe(503);
    expect((await httpRequest(base, "GET", "/_emulator/health")).status).toBe(200);
    const search = await httpRequest(base, "POST", `${API}/webhooks/search`, {}, { token });
    expect(search.body.webhooks.map((w: { description: string | null }) => w.description)).toEqual([hook.description]);
  });
});

describe("one owner per data dir", () => {
  it("refuses a second emulator on another port, naming the holder's pid and port, and the first keeps its data", async () => {
    const dir = dirs.make();
    let { proc: first, base } = await start(["--data-dir", dir, ...FROZEN]);
    const port = new URL(base).port;
    const token = await httpLogin(base, "admin");
    await createWebhookHttp(base, token, { name: "before", url: "https://hooks.example.com/x" });
    const before = readdirSync(dir).sort();
    const second = startCli(["--port", "0", "--data-dir", dir, ...FROZEN]);
    const exit = await second.exited;
    expect(exit.code).not.toBe(0);
    expect(second.stderr()).toContain(`pid ${first.child.pid}`);
    expect(second.stderr()).toContain(`:${port}`);
    expect(second.stdout()).not.toMatch(/listening on/);
    expect(readdirSync(dir).sort()).toEqual(before);
    await createWebhookHttp(base, await httpLogin(base, "admin", { org_id: 1532970882 }), {
      name: "after",
      url: "https://hooks.example.com/y",
    });
    await first.stop();
    ({ proc: first, base } = await start(["--data-dir", dir, ...FROZEN]));
    const state = await httpRequest(base, "GET", "/_emulator/state");
    expect(state.body.webhooks.map((w: { name: string }) => w.name).sort()).toEqual(["after", "before"]);
  });

  it("refuses a second emulator on the same port before it touches any file of the data dir", async () => {
    const dir = dirs.make();
    const { base } = await start(["--data-dir", dir, ...FROZEN]);
    const token = await httpLogin(base, "admin");
    await createWebhookHttp(base, token, { url: "https://hooks.example.com/x" });
    const snapshot = Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
    const second = startCli(["--port", new URL(base).port, "--data-dir", dir, ...FROZEN]);
    const exit = await second.exited;
    expect(exit.code).not.toBe(0);
    expect(second.stderr()).toMatch(/EADDRINUSE|in use/);
    expect(Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]))).toEqual(snapshot);
    const v = await httpRequest(base, "POST", `${API}/webhooks/search`, {}, { token });
    expect(v.body.webhooks).toHaveLength(1);
  });

  it("takes over the lock of an emulator that was SIGKILLed", async () => {
    const dir = dirs.make();
    const { proc } = await start(["--data-dir", dir]);
    await proc.kill();
    expect(existsSync(join(dir, "emulator.lock"))).toBe(true);
    const { base } = await start(["--data-dir", dir]);
    expect((await httpRequest(base, "GET", "/_emulator/health")).status).toBe(200);
  });
});

describe("--seed with a data dir", () => {
  async function session(dir: string) {
    const run1 = await start(["--data-dir", dir, "--seed", "7", ...FROZEN]);
    const analyst = await httpLogin(run1.base, "analyst");
    const admin1 = await httpLogin(run1.base, "admin");
    const hook1 = await createWebhookHttp(run1.base, admin1, { url: "https://hooks.example.com/x" });
    const job1 = (await httpRequest(run1.base, "POST", VALIDATE, validateBody(hook1.id), { token: admin1 })).body.job_id;
    await run1.proc.stop();
    const run2 = await start(["--data-dir", dir, "--seed", "7", ...FROZEN]);
    const admin2 = await httpLogin(run2.base, "admin");
    const hook2 = await createWebhookHttp(run2.base, await httpLogin(run2.base, "admin", { org_id: 1532970882 }), {
      url: "https://hooks.example.com/y",
    });
    return { run2, analyst, admin1, admin2, hook1, hook2, job1 };
  }

  it("never issues a token, webhook id or job id of an earlier run again", async () => {
    const dir = dirs.make();
    const s = await session(dir);
    expect(s.admin2).not.toBe(s.analyst);
    expect(s.admin2).not.toBe(s.admin1);
    expect(s.hook2.id).not.toBe(s.hook1.id);
    // The analyst's token still says analyst: it was not handed to anyone else.
    const me = await httpRequest(s.run2.base, "GET", `${API}/auth/session/user`, undefined, { token: s.analyst });
    expect(me.status, me.text).toBe(200);
    expect(me.body.name).toBe("analyst");
    const job2 = (await httpRequest(s.run2.base, "POST", VALIDATE, validateBody(s.hook1.id), { token: s.admin2 })).body.job_id;
    expect(job2).not.toBe(s.job1);
    expect(await jobById(s.run2.base, s.admin2, s.job1)).toHaveLength(1);
  }, 60_000);

  it("is still reproducible: the same runs on two data dirs give the same tokens and ids", async () => {
    const a = await session(dirs.make());
    await a.run2.proc.stop();
    const b = await session(dirs.make());
    expect([b.analyst, b.admin1, b.admin2, b.hook1.id, b.hook2.id, b.job1]).toEqual([
      a.analyst,
      a.admin1,
      a.admin2,
      a.hook1.id,
      a.hook2.id,
      a.job1,
    ]);
  }, 60_000);
});

describe("reads during compaction", () => {
  it("never answer a corrupt body while a mostly superseded log is compacted at start", async () => {
    const dir = dirs.make();
    const now = Date.parse("2026-03-30T12:00:00Z");
    const lines: string[] = [];
    const JOBS = 5000;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < JOBS; i++) {
        const job = {
          id: `n.job-${i}`,
          status: round === 5 ? "SUCCESS" : "RETRY",
          creation_time_in_millis: now - 60_000 - i,
          event: { type: "LIVEBOARD_SCHEDULE", id: `sched-${i % 7}`, name: `Schedule ${i % 7}`, run_id: `run-${i}` },
          recipients: null,
          detail: round === 5 ? "" : `HTTP 503 try ${round}`,
          try_count: round + 1,
        };
        lines.push(JSON.stringify({ ns: "default", ch: "chan-1", org: "0", job }));
      }
    }
    writeFileSync(join(dir, "history.jsonl"), `${lines.join("\n")}\n`);
    const { base } = await start(["--data-dir", dir, ...FROZEN]);
    const token = await httpLogin(base, "admin");
    const rnd = prng(11);
    const bad: string[] = [];
    const until = Date.now() + 3000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < until) {
          const i = rnd.int(0, JOBS - 1);
          const res = await httpRequest(base, "POST", HISTORY, { channel_type: "WEBHOOK", job_ids: [`n.job-${i}`] }, { token });
          const job = res.body?.jobs?.[0];
          if (res.status !== 200 || job?.id !== `n.job-${i}` || job.status !== "SUCCESS" || job.try_count !== 6)
            bad.push(`${res.status} ${res.text.slice(0, 120)}`);
        }
      }),
    );
    expect(bad.slice(0, 5)).toEqual([]);
    await sleep(200);
    const size = statSync(join(dir, "history.jsonl")).size;
    expect(size).toBeLessThan(lines.join("\n").length / 3); // it was compacted
  }, 60_000);
});

describe("a reset during a delivery", () => {
  it("stops the delivery: its job does not come back into the fresh namespace, now or after a restart", async () => {
    const dir = dirs.make();
    const rx = await startReceiver({ statuses: [503, 503, 200] });
    let { proc, base } = await start(["--data-dir", dir, "--delivery-backoff-ms", "400,400"]);
    const ns = "reset-during-delivery";
    const token = await httpLogin(base, "admin", { namespace: ns });
    await httpRequest(
      base,
      "POST",
      `${API}/system/preferences/communication-channels/configure`,
      { cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
      { token, namespace: ns },
    );
    const hook = await createWebhookHttp(base, token, { url: rx.url }, { namespace: ns });
    const fired = await httpRequest(base, "POST", "/_emulator/deliveries", { channel_identifier: hook.id }, { namespace: ns });
    expect(fired.status, fired.text).toBe(200);
    await sleep(100);
    const reset = await httpRequest(base, "POST", "/_emulator/reset", { namespace: ns });
    expect(reset.status, reset.text).toBe(200);
    await sleep(1200); // past every backoff the delivery would have waited
    const fresh = await httpLogin(base, "admin", { namespace: ns });
    expect(await jobById(base, fresh, fired.body.id)).toEqual([]);
    const hits = rx.hits;
    await sleep(500);
    expect(rx.hits).toBe(hits);
    await proc.stop();
    ({ proc, base } = await start(["--data-dir", dir]));
    expect(await jobById(base, await httpLogin(base, "admin", { namespace: ns }), fired.body.id)).toEqual([]);
  });
});

describe("SIGKILL during a large synthesize", () => {
  it("always leaves data that loads: a cut-off last line is set aside and every acknowledged job stays", async () => {
    const dir = dirs.make();
    const rnd = prng(5);
    let acked: string[] = [];
    let hookId = "";
    for (let round = 0; round < 4; round++) {
      const { proc, base } = await start(["--data-dir", dir, ...FROZEN]);
      const token = await httpLogin(base, "admin");
      if (!hookId) hookId = (await createWebhookHttp(base, token, { url: "https://hooks.example.com/x" })).id;
      const have = await jobIds(base, token, hookId);
      expect(acked.filter((id) => !have.includes(id))).toEqual([]);
      const v = await httpRequest(base, "POST", VALIDATE, validateBody(hookId), { token });
      acked.push(v.body.job_id);
      acked = [...new Set(acked)];
      void synthesize(base, { days: 3, runs_per_day: 4000 });
      await sleep(rnd.int(30, 400));
      await proc.kill();
    }
    const { proc, base } = await start(["--data-dir", dir, ...FROZEN]);
    const have = await jobIds(base, await httpLogin(base, "admin"), hookId);
    expect(acked.filter((id) => !have.includes(id))).toEqual([]);
    await proc.stop();
  }, 120_000);
});
