/**
 * `npm run bench` (7 s per row) or `npm run bench -- --quick` (2 s per row, no 1M data set): builds,
 * measures the disk's fdatasync ceiling, then loads `node dist/cli.js` processes, the fixed bare-Hono
 * baseline and, beside every emulator row, the same-I/O baselines (a) Hono and (b) node:http with
 * autocannon, and writes the like-for-like table (issue 14's targets) to stdout and bench/RESULTS.md.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cachedData, cacheKey, copyForRun, stillUntouched } from "./data.js";
import { type DiskCeiling, measureDisk } from "./disk.js";
import type { BenchData } from "./generate-history.js";
import { type LoadSpec, runLoad } from "./load.js";
import {
  BASELINE,
  BASELINE_HONO_IO,
  BASELINE_NODE_HTTP,
  buildAll,
  CLI,
  cleanUp,
  cliKnows,
  installCleanup,
  type Pinning,
  ROOT,
  removeLater,
  rssBytes,
  type Server,
  setUpPinning,
  sleep,
  startServer,
} from "./procs.js";
import {
  applyRowTargets,
  type BaselineResult,
  CONFIGURE_STATES,
  type Commits,
  type Io,
  MB,
  type Measure,
  type Row,
  renderMarkdown,
  type SameIo,
  stateChecks,
} from "./report.js";
import * as S from "./scenarios.js";
import { createNamespaces, tokenCount, writeTokensOpLog } from "./state-size.js";

const { values: opts } = parseArgs({ options: { quick: { type: "boolean", default: false }, help: { type: "boolean", default: false } } });
if (opts.help) {
  console.log(
    "Usage: npm run bench [-- --quick]\n  --quick  2 s per row (0.5 s warm-up), no 1M data set, baselines at 10 connections only (~3 min instead of ~12)",
  );
  process.exit(0);
}
const QUICK = opts.quick!;
const DURATION = QUICK ? 2 : 7;
const WARMUP = QUICK ? 0.5 : 2;
const CONNS = [10, 100];
/** Connection counts the same-I/O baselines are loaded at (the targets are at 10). */
const HONO_CONNS = QUICK ? [10] : [10, 100];
const NODE_CONNS = [10];
/** The commit-cost rows beyond the first (10k namespaces, 100k tokens). */
const STATE_CONNS = QUICK ? [10] : [10, 100];
const NAMESPACES = 10_000;
const TOKENS = 100_000;
const SIZES = [
  { label: "1k", jobs: 1_000 },
  { label: "100k", jobs: 100_000 },
  { label: "1M", jobs: 1_000_000 },
].filter((s) => !QUICK || s.jobs < 1_000_000);
const log = (s: string) => console.error(`[bench] ${s}`);

const rows: Row[] = [];
const sameIo = new Map<string, SameIo>();
const startup: Measure[] = [];
const setUp: Measure[] = [];
const idle = new Map<string, number | undefined>();
let pin: Pinning;
let runRoot: string;
let disk: DiskCeiling | undefined;
let logFiles = 0;

const metrics = async (url: string) => (await S.call(url, "/_emulator/metrics", undefined, undefined, "GET")).json;
const commitsOf = (m: any): Commits => ({ count: m.commits.count, changes: m.commits.changes, writeMs: m.commits.write_ms });
const delta = (a: Commits, b: Commits): Commits => ({
  count: b.count - a.count,
  changes: b.changes - a.changes,
  writeMs: a.writeMs !== undefined && b.writeMs !== undefined ? b.writeMs - a.writeMs : undefined,
});

function loadSpec(url: string, sc: S.Scenario, conns: number, pid: number, token?: string): LoadSpec {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return {
    url: url + sc.path,
    method: "POST",
    headers,
    bodies: sc.bodies,
    connections: conns,
    durationSec: DURATION,
    warmupSec: WARMUP,
    pid,
  };
}

interface Where {
  data: string;
  /** Durable writes: false for the --no-fsync server. */
  fsync?: boolean;
  state?: string;
  conns?: number[];
  /** Runs after the check request, before the first row (e.g. waits for a snapshot the set-up made due). */
  settle?: () => Promise<void>;
}

/** One emulator row at one connection count, with its group commits (write rows) and event-loop delay. */
async function emulatorRow(server: Server, sc: S.Scenario, row: Row, token?: string): Promise<void> {
  log(`${sc.name}${row.state ? `, ${row.state}` : ""} · ${row.data} · ${row.conns} connections`);
  let before: Commits | undefined;
  try {
    row.result = await runLoad({
      ...loadSpec(server.url, sc, row.conns, server.pid, token),
      beforeMeasure: async () => {
        if (sc.eld) await S.call(server.url, "/_emulator/metrics/reset");
        if (sc.kind === "write") before = commitsOf(await metrics(server.url));
      },
    });
    if (sc.eld || sc.kind === "write") {
      const m = await metrics(server.url);
      if (sc.eld) row.eld = m.event_loop_delay_ms;
      if (before) row.commits = delta(before, commitsOf(m));
    }
    const r = row.result;
    const perCommit = row.commits?.count ? `, ${(row.commits.changes / row.commits.count).toFixed(2)} changes/commit` : "";
    log(
      `  ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}, peak RSS ${MB(r.peakRss)} MB, CPU ${Math.round(r.cpuUsPerReq ?? NaN)} µs/req${perCommit}`,
    );
  } catch (err) {
    row.error = (err as Error).message;
    log(`  FAILED: ${row.error}`);
  }
}

/** A same-I/O baseline loaded exactly like the emulator row (path, headers, bodies, connections). */
async function baselineRow(server: Server, sc: S.Scenario, conns: number, io: Io, token?: string): Promise<BaselineResult> {
  const stats = async (): Promise<Commits> => {
    const j = (await S.call(server.url, "/_baseline/stats", undefined, undefined, "GET")).json;
    return { count: j.commits, changes: j.changes };
  };
  let before: Commits | undefined;
  const result: BaselineResult = await runLoad({
    ...loadSpec(server.url, sc, conns, server.pid, token),
    beforeMeasure: io === "read" ? undefined : async () => void (before = await stats()),
  });
  if (before) result.commits = delta(before, await stats());
  log(
    `  ${server.name}: ${Math.round(result.rps)} req/s, p99 ${result.p99.toFixed(2)} ms, errors ${result.errors}, CPU ${Math.round(result.cpuUsPerReq ?? NaN)} µs/req`,
  );
  return result;
}

/**
 * The emulator's rows for one scenario (check request first: its answer's size and status are what
 * the baselines answer), each followed by the same-I/O baselines (a) and (b) not yet measured for it.
 */
async function measureScenario(server: Server, sc: S.Scenario, where: Where, token?: string): Promise<void> {
  const conns = where.conns ?? CONNS;
  const fresh = () =>
    conns.map((c) => ({ scenario: sc.name, kind: sc.kind, data: where.data, state: where.state, conns: c, fsync: where.fsync }) as Row);
  let first: S.Reply;
  try {
    first = await S.call(server.url, sc.path, sc.bodies[0], token);
    if (first.status < 200 || first.status > 299) throw new Error(`check request answered ${first.status}: ${first.text.slice(0, 200)}`);
    await where.settle?.();
  } catch (err) {
    for (const row of fresh()) rows.push({ ...row, error: (err as Error).message });
    log(`${sc.name} · ${where.data}: FAILED: ${(err as Error).message}`);
    return;
  }
  const bytes = Buffer.byteLength(first.text);
  const io: Io = sc.kind !== "write" ? "read" : where.fsync === false ? "no-fsync" : "fsync";
  // Per data set, so a row's baselines are measured right beside it (the machine's load drifts).
  const key = `${sc.name}|${where.data}|${first.status}|${bytes}|${io}`;
  let s = sameIo.get(key);
  if (!s)
    sameIo.set(
      key,
      (s = { key, scenario: sc.name, data: where.data, bytes, status: first.status, io, hono: new Map(), node: new Map(), errors: [] }),
    );
  const started: { hono?: Server; node?: Server } = {};
  const args = () => {
    const a = ["--bytes", String(bytes), "--status", String(first.status)];
    if (io !== "read") a.push("--log", join(runRoot, `same-io-${logFiles++}.jsonl`));
    if (io === "no-fsync") a.push("--no-fsync");
    return a;
  };
  try {
    for (const row of fresh()) {
      row.response = S.describeReply(first);
      row.bytes = bytes;
      row.status = first.status;
      row.sameIo = key;
      rows.push(row);
      await emulatorRow(server, sc, row, token);
      for (const [which, script, at] of [
        ["hono", BASELINE_HONO_IO, HONO_CONNS],
        ["node", BASELINE_NODE_HTTP, NODE_CONNS],
      ] as const) {
        if (!at.includes(row.conns) || s[which].has(row.conns)) continue;
        try {
          started[which] ??= await startServer(`${which === "hono" ? "(a) Hono" : "(b) node:http"} same I/O`, script, args(), pin);
          s[which].set(row.conns, await baselineRow(started[which]!, sc, row.conns, io, token));
        } catch (err) {
          s.errors.push(`${which} at ${row.conns}: ${(err as Error).message}`);
          log(`  ${which} baseline FAILED: ${(err as Error).message}`);
        }
      }
    }
  } finally {
    for (const srv of Object.values(started)) await srv.stop();
  }
}

async function baselinePhase(when: string): Promise<void> {
  const server = await startServer(`baseline (${when})`, BASELINE, [], pin);
  try {
    for (const c of CONNS) {
      const row: Row = { scenario: `${S.baseline.name} (${when})`, kind: "baseline", data: "—", conns: c, response: "67 B" };
      rows.push(row);
      await emulatorRow(server, S.baseline, row);
    }
  } finally {
    await server.stop();
  }
}

/** Start-up to first 2xx with an empty data dir (3 runs, median) and idle RSS with the fixtures. */
async function emptyPhase(): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const server = await startServer("emulator (empty dir)", CLI, ["--data-dir", copyForRun(null, join(runRoot, `empty-${i}`))], pin);
    times.push(server.startupMs);
    if (i === 2) {
      await sleep(2000);
      idle.set("fixtures", rssBytes(server.pid));
    }
    await server.stop();
  }
  const median = [...times].sort((a, b) => a - b)[1];
  log(`start-up, empty dir: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
  startup.push({
    name: "Start-up to first 2xx, empty data dir (median of 3)",
    value: `${median.toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(", ")})`,
  });
}

const opFiles = (dir: string) => readdirSync(dir).filter((f) => /^ops-\d+\.jsonl$/.test(f)).length;

/**
 * Waits for the snapshot a set-up made due (it starts with the next commit, and ends by removing the
 * op files it holds): the row then measures commits in steady state, and a snapshot its own changes
 * make due is part of it.
 */
function settleAfterSetUp(server: Server, dir: string, sc: S.Scenario, token: string, what: string): () => Promise<void> {
  return async () => {
    const t0 = performance.now();
    await S.call(server.url, sc.path, sc.bodies[1 % sc.bodies.length], token);
    while (opFiles(dir) > 1) {
      if (performance.now() - t0 > 60_000) throw new Error(`the snapshot after ${what} did not finish within 60 s`);
      await sleep(50);
    }
    const waited = performance.now() - t0;
    log(`  snapshot after ${what} written; waited ${waited.toFixed(0)} ms`);
    setUp.push({ name: `Wait for the snapshot after ${what} (one op file left)`, value: `${waited.toFixed(0)} ms` });
  };
}

const STARTUP_LIMIT: Record<string, number> = { "100k": 1000, "1M": 2000 };

async function dataPhase(label: string, data: BenchData): Promise<void> {
  const dir = copyForRun(data, join(runRoot, label));
  // Room for the commit-cost rows' 10k namespaces (the default cap is 1000).
  const extra = label === "100k" && cliKnows("--max-namespaces") ? ["--max-namespaces", String(2 * NAMESPACES)] : [];
  const server = await startServer(`emulator (${label})`, CLI, ["--data-dir", dir, ...extra], pin);
  try {
    const limit = STARTUP_LIMIT[label];
    const t = server.startupMs;
    log(`start-up, ${label} jobs: ${t.toFixed(0)} ms`);
    startup.push({
      name: `Start-up to first 2xx, ${label} jobs (${data.jobs.toLocaleString("en-US")})`,
      value: `${t.toFixed(0)} ms`,
      check: limit ? { target: `≤ ${limit} ms`, pass: t <= limit } : undefined,
    });
    await sleep(2000);
    idle.set(label, rssBytes(server.pid));
    const token = await S.getToken(server.url);
    const where: Where = { data: label, fsync: true };
    for (const sc of [S.historyByJobId(data), S.historyByChannelEvent(data)]) await measureScenario(server, sc, where, token);
    if (label !== "100k") return;
    const hook = await S.createWebhook(server.url, token);
    for (const sc of [S.preferencesSearch, S.webhooksSearch, S.validate(hook)]) await measureScenario(server, sc, where, token);
    await measureScenario(server, S.configure, { ...where, state: CONFIGURE_STATES[0] }, token);

    log(`making ${NAMESPACES.toLocaleString("en-US")} namespaces through the API (one login each)`);
    const t0 = performance.now();
    await createNamespaces(server.url, NAMESPACES);
    const made = (performance.now() - t0) / 1000;
    const held = (await metrics(server.url)).namespaces;
    setUp.push({
      name: `Making ${NAMESPACES.toLocaleString("en-US")} namespaces through the API (one login each, 32 at a time), 100k jobs`,
      value: `${made.toFixed(1)} s (${Math.round(NAMESPACES / made).toLocaleString("en-US")} logins/s); the server then held ${held} namespaces`,
    });
    const settle = settleAfterSetUp(server, dir, S.configure, token, `making ${NAMESPACES.toLocaleString("en-US")} namespaces`);
    await measureScenario(server, S.configure, { ...where, state: CONFIGURE_STATES[1], conns: STATE_CONNS, settle }, token);
  } finally {
    await server.stop();
    copyForRun(null, dir);
  }
}

/** 100k jobs plus an op log holding 100k tokens of the namespace: start-up replays it, then the commit-cost row. */
async function tokensPhase(data: BenchData): Promise<void> {
  const dir = copyForRun(data, join(runRoot, "100k-tokens"));
  const t0 = performance.now();
  await writeTokensOpLog(dir, TOKENS, Date.now());
  log(`wrote an op log with ${TOKENS.toLocaleString("en-US")} tokens in ${(performance.now() - t0).toFixed(0)} ms`);
  const server = await startServer("emulator (100k jobs, 100k tokens)", CLI, ["--data-dir", dir], pin);
  try {
    const t = server.startupMs;
    log(`start-up, 100k jobs + ${TOKENS} tokens in the op log: ${t.toFixed(0)} ms`);
    startup.push({
      name: `Start-up to first 2xx, 100k jobs + an op log of ${TOKENS.toLocaleString("en-US")} token puts to replay`,
      value: `${t.toFixed(0)} ms`,
      check: { target: "≤ 1000 ms", pass: t <= 1000 },
    });
    const token = await S.getToken(server.url);
    const held = await tokenCount(server.url, token);
    if (!(held > TOKENS)) throw new Error(`the namespace holds ${held} tokens after start-up, expected more than ${TOKENS}`);
    const settle = settleAfterSetUp(server, dir, S.configure, token, `loading ${TOKENS.toLocaleString("en-US")} tokens`);
    await measureScenario(
      server,
      S.configure,
      { data: "100k", fsync: true, state: CONFIGURE_STATES[2], conns: STATE_CONNS, settle },
      token,
    );
  } finally {
    await server.stop();
    copyForRun(null, dir);
  }
}

/** The durable writes again with --no-fsync (acknowledged once the OS has the bytes): an option, not the default. */
async function noFsyncPhase(data: BenchData): Promise<void> {
  const label = "100k, --no-fsync";
  const dir = copyForRun(data, join(runRoot, "100k-no-fsync"));
  const server = await startServer(`emulator (${label})`, CLI, ["--data-dir", dir, "--no-fsync"], pin);
  try {
    const token = await S.getToken(server.url);
    const hook = await S.createWebhook(server.url, token);
    for (const sc of [S.configure, S.validate(hook)]) await measureScenario(server, sc, { data: label, fsync: false }, token);
  } finally {
    await server.stop();
    copyForRun(null, dir);
  }
}

/** The reads again with the request journal off (--journal-size 0): what recording every request costs. */
async function journalOffPhase(data: BenchData): Promise<void> {
  const label = "100k, --journal-size 0";
  const dir = copyForRun(data, join(runRoot, "100k-journal-off"));
  const server = await startServer(`emulator (${label})`, CLI, ["--data-dir", dir, "--journal-size", "0"], pin);
  try {
    const token = await S.getToken(server.url);
    const where: Where = { data: label, fsync: true, conns: [10] };
    for (const sc of [S.historyByJobId(data), S.historyByChannelEvent(data), S.preferencesSearch])
      await measureScenario(server, sc, where, token);
  } finally {
    await server.stop();
    copyForRun(null, dir);
  }
}

const find = (scenario: string, data: string, conns: number) =>
  rows.find((r) => r.scenario === scenario && r.data === data && r.conns === conns)?.result;

function laterMeasures(): Measure[] {
  const out: Measure[] = [...stateChecks(rows, S.configure.name)];
  const mem = (name: string, key: string, limit?: number) => {
    const v = idle.get(key);
    out.push({
      name,
      value: `${MB(v)} MB`,
      check: limit && v !== undefined ? { target: `≤ ${limit} MB`, pass: v <= limit * 1_048_576 } : undefined,
    });
  };
  mem("Idle RSS with the fixtures (empty dir, 2 s after start)", "fixtures", 100);
  for (const { label } of SIZES)
    mem(`Idle RSS with ${label} jobs (2 s after start)`, label, label === "100k" ? 400 : label === "1M" ? 300 : undefined);
  if (QUICK) out.push({ name: "Idle RSS with 1M jobs", value: "skipped (--quick)" });
  // The commit-cost rows hold more state on purpose: their peaks are shown on their own.
  const peakOf = (keep: (r: Row) => boolean) =>
    Math.max(...rows.filter((r) => keep(r) && r.result?.peakRss).map((r) => r.result!.peakRss!));
  const peak100k = peakOf((r) => r.data.startsWith("100k") && (r.state ?? CONFIGURE_STATES[0]) === CONFIGURE_STATES[0]);
  if (Number.isFinite(peak100k))
    out.push({
      name: "Peak RSS during the 100k rows (1 namespace)",
      value: `${MB(peak100k)} MB`,
      check: { target: "≤ 400 MB", pass: peak100k <= 400 * 1_048_576 },
    });
  for (const state of CONFIGURE_STATES.slice(1)) {
    const peak = peakOf((r) => r.state === state);
    if (Number.isFinite(peak)) out.push({ name: `Peak RSS during the configure rows with ${state} (100k jobs)`, value: `${MB(peak)} MB` });
  }
  for (const r of rows.filter((r) => r.kind === "write")) {
    const value = r.eld ? `max ${r.eld.max} ms, p99 ${r.eld.p99} ms` : `n/a (${r.error ?? "no metrics"})`;
    const state = r.state && r.state !== CONFIGURE_STATES[0] ? `, ${r.state}` : "";
    out.push({
      name: `Event-loop delay, ${r.scenario}${state}${r.data === "100k" ? "" : ` (${r.data})`}, ${r.conns} conns`,
      value,
      check: { target: "max ≤ 50 ms", pass: !!r.eld && r.eld.max <= 50 },
    });
  }
  const big = QUICK ? "100k" : "1M";
  for (const c of CONNS) {
    const small = find(S.HISTORY_BY_CHANNEL_EVENT, "1k", c);
    const large = find(S.HISTORY_BY_CHANNEL_EVENT, big, c);
    const name = `History by channel + event, 1k vs ${big} jobs, ${c} conns${QUICK ? " (1M skipped in --quick)" : ""}`;
    if (!small || !large) {
      out.push({ name, value: "n/a (a row failed)", check: c === 10 ? { target: "≤ 1.5× apart", pass: false } : undefined });
      continue;
    }
    const apart = Math.max(small.rps, large.rps) / Math.min(small.rps, large.rps);
    const cpu = `CPU/request ${Math.round(small.cpuUsPerReq ?? NaN)} vs ${Math.round(large.cpuUsPerReq ?? NaN)} µs`;
    const value = `${Math.round(small.rps)} vs ${Math.round(large.rps)} req/s: ${apart.toFixed(2)}× apart (${cpu})`;
    out.push({ name, value, check: c === 10 ? { target: "≤ 1.5× apart", pass: apart <= 1.5 } : undefined });
  }
  for (const c of CONNS) {
    const [a, b] = rows.filter((r) => r.kind === "baseline" && r.conns === c).map((r) => r.result?.rps);
    out.push({
      name: `Bare Hono drift, ${c} conns (start → end of run)`,
      value: `${Math.round(a ?? NaN)} → ${Math.round(b ?? NaN)} req/s`,
    });
  }
  return out;
}

/** The dashboard's render times at 1M jobs (bench/ui-render.ts, which writes bench/UI-RESULTS.md); not in --quick. */
function dashboardPhase(): Measure {
  const name = "Dashboard: every page and every route it reads, 1M jobs, p95 (bench/UI-RESULTS.md)";
  if (QUICK) return { name, value: "skipped (--quick; npm run bench:ui runs it alone)" };
  log("dashboard render times at 1M jobs: npm run bench:ui");
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/ui-render.ts"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const summary =
    r.status === 0
      ? /\*\*Target\*\*: .*?: \*\*(PASS|MISS)\*\* \(worst p95 ([\d.]+) ms\)/.exec(
          readFileSync(join(ROOT, "bench", "UI-RESULTS.md"), "utf8"),
        )
      : null;
  if (!summary) return { name, value: `failed (exit ${r.status})`, check: { target: "≤ 100 ms", pass: false } };
  return { name, value: `worst ${summary[2]} ms`, check: { target: "≤ 100 ms", pass: summary[1] === "PASS" } };
}

async function main(): Promise<void> {
  installCleanup();
  const started = Date.now();
  const loadAtStart = os.loadavg();
  log("building: npm run build, and bench/baseline*.ts → bench/.build/ (esbuild)");
  await buildAll();
  pin = setUpPinning();
  log(`pinning: ${pin.description}`);
  const key = await cacheKey();
  const datasets = new Map<string, BenchData>();
  for (const s of SIZES) datasets.set(s.label, await cachedData(s.jobs, key, log));
  runRoot = mkdtempSync(join(os.tmpdir(), "ts-emulator-bench-run-"));
  removeLater(runRoot);

  log("disk: 2000 × (append 200 B + fdatasync), 200 × atomic replace");
  disk = measureDisk(runRoot, { appends: 2000, replaces: 200, maxMs: 20_000 });
  log(
    `  fdatasync mean ${disk.fdatasync.mean.toFixed(2)} ms, p50 ${disk.fdatasync.p50.toFixed(2)}, p99 ${disk.fdatasync.p99.toFixed(2)} → ${Math.round(disk.commitsPerSec)} commits/s; atomic replace mean ${disk.replace.mean.toFixed(2)} ms`,
  );

  await baselinePhase("start");
  await emptyPhase();
  for (const s of SIZES) {
    await dataPhase(s.label, datasets.get(s.label)!);
    // The op-log rows need the write-ahead-log store (an older BENCH_CLI has none).
    if (s.label === "100k" && cliKnows("--repair")) await tokensPhase(datasets.get("100k")!);
  }
  await noFsyncPhase(datasets.get("100k")!);
  if (cliKnows("--journal-size")) await journalOffPhase(datasets.get("100k")!);
  if (QUICK) startup.push({ name: "Start-up to first 2xx, 1M jobs", value: "skipped (--quick)" });
  await baselinePhase("end");
  if (cliKnows("--journal-size")) setUp.push(dashboardPhase());
  rmSync(runRoot, { recursive: true, force: true });

  for (const [label, d] of datasets)
    if (!stillUntouched(d)) log(`WARNING: the cached ${label} data dir changed during the run; it will be regenerated next time`);
  applyRowTargets(rows, sameIo, disk);
  const cpus = os.cpus();
  const md = renderMarkdown(
    {
      mode: QUICK
        ? `quick (\`--quick\`: ${DURATION} s per row after a ${WARMUP} s warm-up; no 1M data set; same-I/O baselines and commit-cost rows at 10 connections only)`
        : `full (${DURATION} s per row after a ${WARMUP} s warm-up; (b) node:http at 10 connections only)`,
      machine: `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
      pinning: pin.description,
      method: methodNotes(Math.round((Date.now() - started) / 1000), loadAtStart),
    },
    rows,
    sameIo,
    disk,
    S.configure.name,
    [...startup, ...setUp, ...laterMeasures()],
  );
  const out = process.env.BENCH_OUT ?? join(ROOT, "bench", "RESULTS.md");
  writeFileSync(out, md);
  console.log(md);
  log(`done in ${Math.round((Date.now() - started) / 1000)} s; written to ${out}`);
}

function methodNotes(seconds: number, loadAtStart: number[]): string[] {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(" / ");
  return [
    `**Load generator**: autocannon 8 in this process (one thread), keep-alive, pipelining 1, timeout 10 s; the warm-up is discarded. ` +
      "req/s = mean of the per-second counts; p50/p99 = latency of the 2xx responses (µs precision); errors = non-2xx + socket errors + timeouts.",
    "**Servers**: after `npm run build`, one `node dist/cli.js --port <free port> --host 127.0.0.1 --data-dir <fresh copy>` per data set " +
      `(the 100k one with \`--max-namespaces ${2 * NAMESPACES}\`); the baselines are bundled with esbuild into bench/.build/: ` +
      "`baseline.js` (bare Hono, fixed 67 B JSON, body not read; at the start and the end of the run, ratios use the mean of both), " +
      "`baseline-hono-io.js` (a) and `baseline-node-http.js` (b): read the whole body (Hono from the node request stream, as the emulator does), " +
      "JSON.parse it, answer exactly the emulator's byte count and status for that row; for durable writes they JSON.stringify the body and append it " +
      "as one line with group commit (one positional write + fdatasync in flight, the rest batched; the emulator's op log does the same plus two stats).",
    "**Requests**: bearer token of tsadmin in testOrg1; history by one job id, or by the target channel + one of its schedules; preferences and webhooks search with `{}`; " +
      "configure alternates two REPLACE bodies (every request changes the state: one fsynced op-log append per group commit); validate uses a webhook with url " +
      "https://hooks.example.com/bench (HTTP check simulated) and an AWS_S3 destination (the storage check writes a file, not fsynced; the history job is appended and fdatasynced).",
    "**Measures**: peak RSS = VmRSS of the server sampled every 100 ms during the measured part; start-up = spawn → first 200 from GET /_emulator/health polled every 5 ms " +
      "(data copied just before: warm page cache); event-loop delay from /_emulator/metrics, reset after the warm-up, read after the row; group commits from " +
      "/_emulator/metrics (`commits`) and the baselines' /_baseline/stats read after the warm-up and after the row.",
    `**Run time**: ${seconds} s. **Load average (1/5/15 min)**: ${load(loadAtStart)} at the start, ${load(os.loadavg())} at the end ` +
      "(anything else running on the machine shows up here and disturbs the numbers; compare the bare-Hono start and end rows).",
  ];
}

main().then(
  () => {
    cleanUp();
    process.exit(0);
  },
  (err) => {
    console.error(`[bench] failed: ${(err as Error).stack ?? err}`);
    cleanUp();
    process.exit(1);
  },
);
