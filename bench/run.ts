/**
 * `npm run bench` (≈10 s per row) or `npm run bench -- --quick` (2 s per row, no 1M data set): builds,
 * then loads `node dist/cli.js` processes and a bare-Hono baseline with autocannon, and writes the
 * table (same-run ratios to the baseline, the issue-4 targets) to stdout and bench/RESULTS.md.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cachedData, cacheKey, copyForRun, stillUntouched } from "./data.js";
import type { BenchData } from "./generate-history.js";
import { runLoad } from "./load.js";
import {
  BASELINE,
  buildAll,
  CLI,
  cleanUp,
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
import { applyRowTargets, MB, type Measure, type Row, renderMarkdown } from "./report.js";
import * as S from "./scenarios.js";

const { values: opts } = parseArgs({ options: { quick: { type: "boolean", default: false }, help: { type: "boolean", default: false } } });
if (opts.help) {
  console.log("Usage: npm run bench [-- --quick]\n  --quick  2 s per row (0.5 s warm-up), no 1M data set (~1.5 min instead of ~7)");
  process.exit(0);
}
const QUICK = opts.quick!;
const DURATION = QUICK ? 2 : 10;
const WARMUP = QUICK ? 0.5 : 2;
const CONNS = [10, 100];
const SIZES = [
  { label: "1k", jobs: 1_000 },
  { label: "100k", jobs: 100_000 },
  { label: "1M", jobs: 1_000_000 },
].filter((s) => !QUICK || s.jobs < 1_000_000);
const log = (s: string) => console.error(`[bench] ${s}`);

const rows: Row[] = [];
const startup: Measure[] = [];
const idle = new Map<string, number | undefined>();
let pin: Pinning;

async function measureRow(server: Server, sc: S.Scenario, data: string, conns: number, token?: string): Promise<void> {
  const row: Row = { scenario: sc.name, kind: sc.kind, data, conns };
  rows.push(row);
  log(`${sc.name} · ${data} · ${conns} connections`);
  try {
    const first = await S.call(server.url, sc.path, sc.bodies[0], token);
    if (first.status < 200 || first.status > 299) throw new Error(`check request answered ${first.status}: ${first.text.slice(0, 200)}`);
    row.response = S.describeReply(first);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    row.result = await runLoad({
      url: server.url + sc.path,
      method: "POST",
      headers,
      bodies: sc.bodies,
      connections: conns,
      durationSec: DURATION,
      warmupSec: WARMUP,
      pid: server.pid,
      beforeMeasure: sc.eld ? () => S.call(server.url, "/_emulator/metrics/reset") : undefined,
    });
    if (sc.eld) row.eld = (await S.call(server.url, "/_emulator/metrics", undefined, undefined, "GET")).json.event_loop_delay_ms;
    const r = row.result;
    log(
      `  ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}, peak RSS ${MB(r.peakRss)} MB`,
    );
  } catch (err) {
    row.error = (err as Error).message;
    log(`  FAILED: ${row.error}`);
  }
}

async function baselinePhase(when: string): Promise<void> {
  const server = await startServer(`baseline (${when})`, BASELINE, [], pin);
  try {
    for (const c of CONNS) await measureRow(server, { ...S.baseline, name: `${S.baseline.name} (${when})` }, "—", c);
  } finally {
    await server.stop();
  }
}

/** Start-up to first 2xx with an empty data dir (3 runs, median) and idle RSS with the fixtures. */
async function emptyPhase(runRoot: string): Promise<void> {
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

async function dataPhase(runRoot: string, label: string, data: BenchData): Promise<void> {
  const dir = copyForRun(data, join(runRoot, label));
  const server = await startServer(`emulator (${label})`, CLI, ["--data-dir", dir], pin);
  try {
    const limit = label === "100k" ? 1000 : label === "1M" ? 3000 : undefined;
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
    const scenarios = [S.historyByJobId(data), S.historyByChannelEvent(data)];
    if (label === "100k") {
      const hook = await S.createWebhook(server.url, token);
      scenarios.push(S.preferencesSearch, S.webhooksSearch, S.configure, S.validate(hook));
    }
    for (const sc of scenarios) for (const c of CONNS) await measureRow(server, sc, label, c, token);
  } finally {
    await server.stop();
    copyForRun(null, dir);
  }
}

/** The durable writes again with --no-fsync (acknowledged once the OS has the bytes): an option, not the default. */
async function noFsyncPhase(runRoot: string, data: BenchData): Promise<void> {
  const label = "100k, --no-fsync";
  const dir = copyForRun(data, join(runRoot, "100k-no-fsync"));
  const server = await startServer(`emulator (${label})`, CLI, ["--data-dir", dir, "--no-fsync"], pin);
  try {
    const token = await S.getToken(server.url);
    const hook = await S.createWebhook(server.url, token);
    for (const sc of [S.configure, S.validate(hook)]) for (const c of CONNS) await measureRow(server, sc, label, c, token);
  } finally {
    await server.stop();
    copyForRun(null, dir);
  }
}

const find = (scenario: string, data: string, conns: number) =>
  rows.find((r) => r.scenario === scenario && r.data === data && r.conns === conns)?.result;

function laterMeasures(): Measure[] {
  const out: Measure[] = [];
  const mem = (name: string, key: string, limit?: number) => {
    const v = idle.get(key);
    out.push({
      name,
      value: `${MB(v)} MB`,
      check: limit && v !== undefined ? { target: `≤ ${limit} MB`, pass: v <= limit * 1_048_576 } : undefined,
    });
  };
  mem("Idle RSS with the fixtures (empty dir, 2 s after start)", "fixtures", 120);
  for (const { label } of SIZES) mem(`Idle RSS with ${label} jobs (2 s after start)`, label, label === "100k" ? 400 : undefined);
  const peak100k = Math.max(...rows.filter((r) => r.data.startsWith("100k") && r.result?.peakRss).map((r) => r.result!.peakRss!));
  if (Number.isFinite(peak100k))
    out.push({
      name: "Peak RSS during the 100k rows",
      value: `${MB(peak100k)} MB`,
      check: { target: "≤ 400 MB", pass: peak100k <= 400 * 1_048_576 },
    });
  for (const r of rows.filter((r) => r.kind === "write")) {
    const value = r.eld ? `max ${r.eld.max} ms, p99 ${r.eld.p99} ms` : `n/a (${r.error ?? "no metrics"})`;
    out.push({
      name: `Event-loop delay, ${r.scenario}${r.data === "100k" ? "" : ` (${r.data})`}, ${r.conns} conns`,
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
    const value = `${Math.round(small.rps)} vs ${Math.round(large.rps)} req/s: ${apart.toFixed(2)}× apart`;
    out.push({ name, value, check: c === 10 ? { target: "≤ 1.5× apart", pass: apart <= 1.5 } : undefined });
  }
  for (const c of CONNS) {
    const [a, b] = rows.filter((r) => r.kind === "baseline" && r.conns === c).map((r) => r.result?.rps);
    out.push({ name: `Baseline drift, ${c} conns (start → end of run)`, value: `${Math.round(a ?? NaN)} → ${Math.round(b ?? NaN)} req/s` });
  }
  return out;
}

async function main(): Promise<void> {
  installCleanup();
  const started = Date.now();
  const loadAtStart = os.loadavg()[0];
  log("building: npm run build, and bench/baseline.ts → bench/.build/baseline.js (esbuild)");
  await buildAll();
  pin = setUpPinning();
  log(`pinning: ${pin.description}`);
  const key = await cacheKey();
  const datasets = new Map<string, BenchData>();
  for (const s of SIZES) datasets.set(s.label, await cachedData(s.jobs, key, log));
  const runRoot = mkdtempSync(join(os.tmpdir(), "ts-emulator-bench-run-"));
  removeLater(runRoot);

  await baselinePhase("start");
  await emptyPhase(runRoot);
  for (const s of SIZES) await dataPhase(runRoot, s.label, datasets.get(s.label)!);
  await noFsyncPhase(runRoot, datasets.get("100k")!);
  if (QUICK) startup.push({ name: "Start-up to first 2xx, 1M jobs", value: "skipped (--quick)" });
  await baselinePhase("end");

  for (const [label, d] of datasets)
    if (!stillUntouched(d)) log(`WARNING: the cached ${label} data dir changed during the run; it will be regenerated next time`);
  applyRowTargets(rows);
  const cpus = os.cpus();
  const md = renderMarkdown(
    {
      mode: QUICK
        ? `quick (\`--quick\`: ${DURATION} s per row after a ${WARMUP} s warm-up; no 1M data set)`
        : `full (${DURATION} s per row after a ${WARMUP} s warm-up)`,
      machine: `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
      pinning: pin.description,
      method: methodNotes(Math.round((Date.now() - started) / 1000), loadAtStart),
    },
    rows,
    [...startup, ...laterMeasures()],
  );
  const out = process.env.BENCH_OUT ?? join(ROOT, "bench", "RESULTS.md");
  writeFileSync(out, md);
  console.log(md);
  log(`done in ${Math.round((Date.now() - started) / 1000)} s; written to ${out}`);
}

function methodNotes(seconds: number, loadAtStart: number): string[] {
  return [
    `**Load generator**: autocannon 8 in this process (one thread), keep-alive, pipelining 1, timeout 10 s; the warm-up is discarded. ` +
      "req/s = mean of the per-second counts; p50/p99 = latency of the 2xx responses (µs precision); errors = non-2xx + socket errors + timeouts.",
    "**Servers**: after `npm run build`, one `node dist/cli.js --port <free port> --host 127.0.0.1 --data-dir <fresh copy>` per data set; " +
      "the baseline is `node bench/.build/baseline.js` (bare Hono on @hono/node-server, fixed small JSON, request body not read), measured at the start and the end of the run; ratios use the mean of both.",
    "**Requests**: bearer token of tsadmin in testOrg1; history by one job id, or by the target channel + one of its schedules; preferences and webhooks search with `{}`; " +
      "configure alternates two REPLACE bodies (every request changes the state: fsynced write); validate uses a webhook with url https://hooks.example.com/bench (HTTP check simulated) and an AWS_S3 destination (the storage check writes a file; the history job is appended).",
    "**Measures**: peak RSS = VmRSS of the server sampled every 100 ms during the measured part; start-up = spawn → first 200 from GET /_emulator/health polled every 5 ms " +
      "(data copied just before: warm page cache); event-loop delay from /_emulator/metrics, reset after the warm-up, read after the row.",
    `**Run time**: ${seconds} s. **1-min load average**: ${loadAtStart.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end ` +
      "(anything else running on the machine, e.g. a test suite, shows up here and disturbs the numbers; compare the baseline's start and end rows).",
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
