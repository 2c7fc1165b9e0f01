/**
 * The store in-process: group commit, what is on disk when a response arrives, the history log,
 * replay at load (clear lines, retention) and reset.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClock } from "../src/clock.js";
import { loadFixtures } from "../src/fixtures.js";
import { createEmulator, type Emulator } from "../src/index.js";
import type { JobRecord } from "../src/schemas/history.js";
import { type Batch, GroupCommit } from "../src/store/group-commit.js";
import { HistoryLog } from "../src/store/history-log.js";
import { openStore, type Store } from "../src/store/index.js";
import { OpLog } from "../src/store/op-log.js";
import { SnapshotFile } from "../src/store/snapshot.js";
import { call, configureBody, diskHistory, diskState, login, tempDirs, validateBody } from "./support/index.js";

const DAY = 86_400_000;
const TEST_ORG1 = 2100019165;
const CONFIGURE = "/system/preferences/communication-channels/configure";

const dirs = tempDirs("emu-store-");
const open: { close(): Promise<void> }[] = [];

async function diskEmulator(dir: string): Promise<Emulator> {
  const emu = await createEmulator({ dataDir: dir, log: () => {} });
  open.push(emu);
  return emu;
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const o of open.splice(0)) await o.close();
  dirs.removeAll();
});

const readState = diskState;
const readHistory = diskHistory;

const hookBody = (name: string) => ({ name, url: "https://hooks.example.com/x", events: ["LIVEBOARD_SCHEDULE"] });

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function job(id: string, created: number, ns = "default", ch = "hook-1"): string {
  const rec: JobRecord = {
    ch,
    org: "0",
    job: {
      id,
      status: "SUCCESS",
      creation_time_in_millis: created,
      event: { type: "LIVEBOARD_SCHEDULE", id: `validation-${ch}`, name: null, run_id: null },
      recipients: null,
      detail: "",
      try_count: 1,
    },
  };
  return JSON.stringify({ ns, ...rec });
}

async function openAt(dir: string, now: number, retentionMs = 3 * DAY): Promise<Store> {
  const store = await openStore({ dataDir: dir, fixtures: loadFixtures(), clock: createClock(now), retentionMs });
  open.push(store);
  return store;
}

describe("GroupCommit", () => {
  const noFailure = () => {};
  const written = (batch: Batch) => batch.history.map(() => -1);

  it("shares writes among 100 concurrent requests and keeps every line exactly once, in order", async () => {
    const batches: Batch[] = [];
    const gc = new GroupCommit(async (batch) => {
      batches.push(batch);
      await new Promise((r) => setTimeout(r, 5));
      return written(batch);
    }, noFailure);
    const lines = Array.from({ length: 100 }, (_, i) => `line-${i}`);
    await Promise.all(lines.map((l, i) => gc.request(i % 10 === 0 ? { ops: [`op-${i}`], history: [l] } : { history: [l] })));
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.length).toBeLessThan(10);
    expect(batches.flatMap((b) => b.history)).toEqual(lines);
    expect(batches.flatMap((b) => b.ops)).toEqual(lines.filter((_, i) => i % 10 === 0).map((_, k) => `op-${k * 10}`));
  });

  it("resolves each request only after the write holding its change has finished, after its committed callback", async () => {
    const durable = new Set<string>();
    const gc = new GroupCommit(async (batch) => {
      await new Promise((r) => setTimeout(r, 3));
      for (const l of batch.history) durable.add(l);
      return written(batch);
    }, noFailure);
    const early: string[] = [];
    const applied = new Set<string>();
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        gc.request({ history: [`c-${i}`], committed: () => applied.add(`c-${i}`) }).then(() => {
          if (!durable.has(`c-${i}`) || !applied.has(`c-${i}`)) early.push(`c-${i}`);
        }),
      ),
    );
    expect(early).toEqual([]);
    expect(durable.size).toBe(100);
  });

  it("rejects the requests of a failed write and every request queued behind it, and tells the store once", async () => {
    const gates: ReturnType<typeof deferred>[] = [];
    const batches: Batch[] = [];
    const failures: unknown[] = [];
    const gc = new GroupCommit(
      (batch) => {
        batches.push(batch);
        const g = deferred();
        gates.push(g);
        return g.promise.then(() => written(batch));
      },
      (err) => failures.push(err),
    );
    const settled = (p: Promise<void>) =>
      p.then(
        () => "ok",
        (e: Error) => `rejected: ${e.message}`,
      );
    const a = settled(gc.request({ history: ["a"] })); // write 1 starts at once
    const b1 = settled(gc.request({ history: ["b1"], ops: ["op-b1"] })); // wait for write 2
    const b2 = settled(gc.request({ history: ["b2"] }));
    gates[0]!.resolve();
    await vi.waitFor(() => expect(gates).toHaveLength(2));
    const c = settled(gc.request({ history: ["c"] })); // queued behind write 2: it may build on it
    gates[1]!.reject(new Error("disk full"));
    expect(await Promise.all([a, b1, b2, c])).toEqual(["ok", "rejected: disk full", "rejected: disk full", "rejected: disk full"]);
    expect(failures).toHaveLength(1);
    expect(batches).toEqual([
      { ops: [], history: ["a"] },
      { ops: ["op-b1"], history: ["b1", "b2"] },
    ]);
    const d = settled(gc.request({ history: ["d"] })); // the next write is a fresh start
    await vi.waitFor(() => expect(gates).toHaveLength(3));
    gates[2]!.resolve();
    expect(await d).toBe("ok");
    await gc.idle();
  });
});

describe("the store on disk", () => {
  it("answers 100 concurrent configure calls with far fewer op-log appends and leaves the last acknowledged change on disk", async () => {
    const dir = dirs.make();
    const emu = await diskEmulator(dir);
    const token = await login(emu, "admin", TEST_ORG1);
    const writes = vi.spyOn(OpLog.prototype, "append");
    const sent = [["EMAIL"], ["WEBHOOK"], ["EMAIL", "WEBHOOK"], []];
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => call(emu, "POST", CONFIGURE, configureBody(sent[i % sent.length]), { token })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(204));
    expect(writes.mock.calls.length).toBeGreaterThan(0);
    expect(writes.mock.calls.length).toBeLessThan(100);

    const server = await call(
      emu,
      "POST",
      "/system/preferences/communication-channels/search",
      { org_preferences: [{ org_identifier: "testOrg1" }] },
      { token },
    );
    const onDisk = readState(dir).namespaces.default.preferences.orgs[String(TEST_ORG1)] ?? [];
    expect(onDisk).toEqual(server.body.org_preferences[0].preferences);
    expect(sent).toContainEqual(onDisk[0]?.channels ?? []);
  });

  it("has an acknowledged change on disk at the moment its response arrives", async () => {
    const dir = dirs.make();
    const emu = await diskEmulator(dir);
    // Thirty namespaces at once: each response is checked against the file the instant it resolves.
    const names = Array.from({ length: 30 }, (_, i) => `ns-${i}`);
    const tokens = await Promise.all(names.map((ns) => login(emu, "admin", TEST_ORG1, ns)));
    const late: string[] = [];
    await Promise.all(
      names.map((ns, i) =>
        call(emu, "POST", "/webhooks/create", hookBody(`hook-${i}`), { token: tokens[i], namespace: ns }).then((res) => {
          expect(res.status, res.text).toBe(200);
          const hooks = readState(dir).namespaces[ns]?.webhooks ?? [];
          if (!hooks.some((w: any) => w.id === res.body.id)) late.push(ns);
        }),
      ),
    );
    expect(late, "namespaces whose webhook was acknowledged before it was on disk").toEqual([]);

    // And one sequential change of each kind.
    const cfg = await call(emu, "POST", CONFIGURE, configureBody(["WEBHOOK"]), { token: tokens[0], namespace: "ns-0" });
    expect(cfg.status).toBe(204);
    expect(readState(dir).namespaces["ns-0"].preferences.orgs[String(TEST_ORG1)]).toEqual([
      { event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] },
    ]);
    const hook = readState(dir).namespaces["ns-0"].webhooks[0];
    const val = await call(emu, "POST", "/system/communication-channels/validate", validateBody(hook.id), {
      token: tokens[0],
      namespace: "ns-0",
    });
    expect(val.status, val.text).toBe(200);
    expect(readHistory(dir).map((l) => l.job?.id)).toContain(val.body.job_id);
  });

  it("appends a validation to history.jsonl as one JSON line without writing state.json", async () => {
    const dir = dirs.make();
    const emu = await diskEmulator(dir);
    const token = await login(emu, "admin", TEST_ORG1);
    const hook = await call(emu, "POST", "/webhooks/create", hookBody("history-hook"), { token });
    expect(hook.status).toBe(200);

    const stateFile = join(dir, "ops-000000.jsonl");
    const bytesBefore = readFileSync(stateFile);
    const statBefore = statSync(stateFile);
    const linesBefore = readHistory(dir).length;
    const writes = vi.spyOn(SnapshotFile.prototype, "write");
    const appends = vi.spyOn(HistoryLog.prototype, "append");

    const val = await call(emu, "POST", "/system/communication-channels/validate", validateBody(hook.body.id), { token });
    expect(val.status, val.text).toBe(200);

    const text = readFileSync(join(dir, "history.jsonl"), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = readHistory(dir);
    expect(lines).toHaveLength(linesBefore + 1);
    expect(lines.at(-1)).toEqual({
      ns: "default",
      ch: hook.body.id,
      org: String(TEST_ORG1),
      job: {
        id: val.body.job_id,
        status: "SUCCESS",
        creation_time_in_millis: expect.any(Number),
        event: { type: "LIVEBOARD_SCHEDULE", id: `validation-${hook.body.id}`, name: null, run_id: null },
        recipients: null,
        detail: "",
        try_count: 1,
      },
    });
    expect(appends).toHaveBeenCalledTimes(1);
    expect(writes).not.toHaveBeenCalled();
    const statAfter = statSync(stateFile);
    expect(readFileSync(stateFile).equals(bytesBefore)).toBe(true);
    expect(statAfter.ino).toBe(statBefore.ino);
    expect(statAfter.mtimeMs).toBe(statBefore.mtimeMs);
  });

  it("replays history.jsonl when reopened, so validation jobs are found by id", async () => {
    const dir = dirs.make();
    const first = await diskEmulator(dir);
    const token = await login(first, "admin", TEST_ORG1);
    const hook = await call(first, "POST", "/webhooks/create", hookBody("replay-hook"), { token });
    const jobs = [];
    for (let i = 0; i < 3; i++) {
      const v = await call(first, "POST", "/system/communication-channels/validate", validateBody(hook.body.id), { token });
      expect(v.status, v.text).toBe(200);
      const h = await call(
        first,
        "POST",
        "/jobs/history/communication-channels/search",
        { channel_type: "WEBHOOK", job_ids: [v.body.job_id] },
        { token },
      );
      jobs.push(h.body.jobs[0]);
    }
    await first.close();

    const second = await diskEmulator(dir);
    for (const j of jobs) {
      const h = await call(
        second,
        "POST",
        "/jobs/history/communication-channels/search",
        { channel_type: "WEBHOOK", job_ids: [j.id] },
        { token },
      );
      expect(h.status, h.text).toBe(200);
      expect(h.body.jobs).toEqual([j]);
    }
    const byChannel = await call(
      second,
      "POST",
      "/jobs/history/communication-channels/search",
      { channel_type: "WEBHOOK", channel_identifiers: [hook.body.id], events: [{ type: "LIVEBOARD_SCHEDULE" }] },
      { token },
    );
    expect(byChannel.body.jobs.map((j: any) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
  });

  it("empties a namespace's history at load where a {ns, clear:true} line says so, and only that namespace", async () => {
    const dir = dirs.make();
    const now = Date.UTC(2026, 2, 30, 12);
    writeFileSync(
      join(dir, "history.jsonl"),
      `${[
        job("n.before-clear", now - 1000),
        job("n.other-ns", now - 1000, "other"),
        JSON.stringify({ ns: "default", clear: true }),
        job("n.after-clear", now - 500),
      ].join("\n")}\n`,
    );
    const store = await openAt(dir, now);
    expect(store.namespace("default").history.get("n.before-clear")).toBeUndefined();
    expect(store.namespace("default").history.get("n.after-clear")?.id).toBe("n.after-clear");
    expect(store.namespace("default").history.size).toBe(1);
    expect(store.namespace("other").history.get("n.other-ns")?.id).toBe("n.other-ns");
  });

  it("keeps jobs older than the retention period at load (they are only kept out of searches)", async () => {
    const dir = dirs.make();
    const now = Date.UTC(2026, 2, 30, 12);
    writeFileSync(
      join(dir, "history.jsonl"),
      `${[
        job("n.four-days", now - 4 * DAY),
        job("n.just-expired", now - 3 * DAY - 1),
        job("n.two-days", now - 2 * DAY),
        job("n.fresh", now - 1000),
      ].join("\n")}\n`,
    );
    const store = await openAt(dir, now);
    const h = store.namespace("default").history;
    expect([...h.all()].map((r) => r.id).sort()).toEqual(["n.four-days", "n.fresh", "n.just-expired", "n.two-days"]);
  });

  it("restores the fixtures on POST /_emulator/reset, and the reset survives a reopen", async () => {
    const dir = dirs.make();
    const first = await diskEmulator(dir);
    const token = await login(first, "admin", TEST_ORG1);
    const hook = await call(first, "POST", "/webhooks/create", hookBody("reset-hook"), { token });
    expect(hook.status).toBe(200);
    expect((await call(first, "POST", CONFIGURE, configureBody(["WEBHOOK"]), { token })).status).toBe(204);
    const val = await call(first, "POST", "/system/communication-channels/validate", validateBody(hook.body.id), { token });
    expect(val.status).toBe(200);

    const reset = await call(first, "POST", "/_emulator/reset", {});
    expect(reset.status, reset.text).toBe(200);
    // The reset is on disk when acknowledged: the state file no longer holds the webhook, the log ends with a clear line.
    expect(JSON.stringify(readState(dir))).not.toContain(hook.body.id);
    expect(readHistory(dir).at(-1)).toEqual({ ns: "default", clear: true });

    const fixtures = loadFixtures();
    const check = async (emu: Emulator) => {
      const t = await login(emu, "admin", TEST_ORG1);
      const hooks = await call(emu, "POST", "/webhooks/search", {}, { token: t });
      expect(hooks.body.webhooks).toEqual([]);
      const prefs = await call(emu, "POST", "/system/preferences/communication-channels/search", {}, { token: t });
      expect(prefs.body.cluster_preferences).toEqual(fixtures.preferences.cluster);
      expect(prefs.body.org_preferences.map((o: any) => o.org)).toEqual(fixtures.orgs.map((o) => ({ id: o.id, name: o.name })));
      expect(prefs.body.org_preferences.every((o: any) => o.preferences.length === 0)).toBe(true);
      const h = await call(
        emu,
        "POST",
        "/jobs/history/communication-channels/search",
        { channel_type: "WEBHOOK", job_ids: [val.body.job_id] },
        { token: t },
      );
      expect(h.body.jobs).toEqual([]);
    };
    await check(first);
    // The token from before the reset belongs to the discarded state.
    expect((await call(first, "POST", "/webhooks/search", {}, { token })).status).toBe(401);
    await first.close();

    const second = await diskEmulator(dir);
    await check(second);
    expect((await call(second, "POST", "/webhooks/search", {}, { token })).status).toBe(401);
  });
});

describe("--no-fsync", () => {
  it("still has every acknowledged change in the files when writes are not fsynced", async () => {
    const dir = dirs.make();
    const emu = await createEmulator({ dataDir: dir, fsync: false, log: () => {} });
    open.push(emu);
    const token = await login(emu, "admin", TEST_ORG1);
    const res = await call(
      emu,
      "POST",
      CONFIGURE,
      { org_preferences: [{ org_identifier: "testOrg1", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] }] }] },
      { token },
    );
    expect(res.status).toBe(204);
    const onDisk = readState(dir);
    expect(onDisk.namespaces.default.preferences.orgs[String(TEST_ORG1)]).toEqual([
      { event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] },
    ]);
  });
});
