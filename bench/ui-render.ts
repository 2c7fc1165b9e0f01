/**
 * `npm run bench:ui` (about a minute with the cached 1M data set): how long the dashboard's pages and
 * every route they read take server-side with 1M stored jobs. One emulator in this process on a copy
 * of the benchmark's cached 1M-job data dir (bench/data.ts), demo fixtures; each request goes
 * through the whole app (middleware, guard, handler, serialization; no socket) 200 times after 20
 * warm-up calls. Prints a table and writes bench/UI-RESULTS.md. Target: every row ≤ 100 ms.
 */
import { writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createEmulator } from "../src/index.js";
import { cachedData, cacheKey, copyForRun } from "./data.js";

const { values: opts } = parseArgs({ options: { jobs: { type: "string", default: "1000000" }, runs: { type: "string", default: "200" } } });
const JOBS = Number(opts.jobs);
const RUNS = Number(opts.runs);
const TARGET_MS = 100;
const log = (s: string) => console.error(`[bench:ui] ${s}`);

const data = await cachedData(JOBS, await cacheKey(), log);
const dir = copyForRun(data, join(tmpdir(), `ts-emulator-bench-ui-${process.pid}`));
const loadStart = performance.now();
const emu = await createEmulator({ dataDir: dir, fixturesFile: new URL("../fixtures/demo.json", import.meta.url).pathname, log: () => {} });
log(`loaded ${emu.store.stats().history_jobs} jobs in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

const login = await emu.app.request("/api/rest/2.0/auth/token/full", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "tsadmin", password: "admin", org_id: 2100019165 }),
});
const { token } = (await login.json()) as { token: string };
const first = async (path: string) => (await (await emu.app.request(path)).json()) as { schedules: string[]; total: number };
const schedule = (await first(`/_emulator/history?channel=${data.channel}&limit=1`)).schedules[0];
const total = (await first("/_emulator/history?limit=1")).total;
const failed = (await first("/_emulator/history?status=FAILED&limit=1")).total;

interface Row {
  what: string;
  path: string;
  init?: RequestInit;
}
const page = (name: string, path: string): Row => ({ what: `page: ${name}`, path: `/_emulator/ui/${path}` });
const rows: Row[] = [
  page("overview", ""),
  page("webhooks", "webhooks"),
  page("schedules", "schedules"),
  page("history", "history"),
  page("inbox", "inbox"),
  page("requests", "requests"),
  page("scenarios", "scenarios"),
  page("synthesize", "synthesize"),
  { what: "asset: lib.js", path: "/_emulator/ui/assets/lib.js" },
  { what: "asset: app.css", path: "/_emulator/ui/assets/app.css" },
  { what: "state (every page)", path: "/_emulator/state" },
  { what: "history: first page, every webhook (334 channels merged)", path: "/_emulator/history?limit=50" },
  { what: "history: FAILED, every webhook", path: "/_emulator/history?status=FAILED&limit=50" },
  { what: "history: one webhook", path: `/_emulator/history?channel=${data.channel}&limit=50` },
  { what: "history: one schedule name, every webhook", path: `/_emulator/history?event=${encodeURIComponent(schedule)}&limit=50` },
  {
    what: "history: a time window (one day)",
    path: `/_emulator/history?from=${Date.now() - 2 * 86_400_000}&to=${Date.now() - 86_400_000}&limit=50`,
  },
  { what: "history: the middle page", path: `/_emulator/history?offset=${Math.floor(total / 2)}&limit=50` },
  { what: "history: the last page", path: `/_emulator/history?offset=${total - 50}&limit=50` },
  { what: "history: FAILED, the middle page", path: `/_emulator/history?status=FAILED&offset=${Math.floor(failed / 2)}&limit=50` },
  { what: "history: FAILED, the last page", path: `/_emulator/history?status=FAILED&offset=${failed - 50}&limit=50` },
  { what: "histogram: every webhook", path: "/_emulator/history/histogram" },
  { what: "histogram: one webhook", path: `/_emulator/history/histogram?channel=${data.channel}` },
  { what: "scenarios", path: "/_emulator/scenarios" },
  { what: "clock", path: "/_emulator/clock" },
  { what: "inbox", path: "/_emulator/inbox?limit=100" },
  { what: "journal", path: "/_emulator/requests?limit=200" },
  { what: "namespaces", path: "/_emulator/namespaces" },
  {
    what: "API webhooks/search (webhooks page)",
    path: "/api/rest/2.0/webhooks/search",
    init: {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: '{"record_size":1000}',
    },
  },
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const results: { what: string; bytes: number; p50: number; p95: number; max: number }[] = [];
for (const row of rows) {
  let bytes = 0;
  const times: number[] = [];
  for (let k = 0; k < 20 + RUNS; k++) {
    const t = performance.now();
    const res = await emu.app.request(row.path, row.init);
    const body = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`${row.path} answered ${res.status}: ${body.slice(0, 200)}`);
    bytes = body.length;
    if (k >= 20) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const r = { what: row.what, bytes, p50: pct(times, 50), p95: pct(times, 95), max: times.at(-1)! };
  results.push(r);
  log(`${row.what}: p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, max ${r.max.toFixed(2)} ms`);
}
await emu.close();

const worst = Math.max(...results.map((r) => r.p95));
const kb = (n: number) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);
const table = [
  "| Request | Response | p50 ms | p95 ms | max ms |",
  "|---|--:|--:|--:|--:|",
  ...results.map((r) => `| ${r.what} | ${kb(r.bytes)} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.max.toFixed(2)} |`),
].join("\n");
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const md = `# Dashboard render times

- **Date**: ${new Date().toISOString()}
- **Machine**: ${cpu}, ${os.cpus().length} cores, Node ${process.version}; 1-min load average ${os.loadavg()[0].toFixed(2)} at the end
- **Data**: ${JOBS.toLocaleString("en-US")} jobs in 334 channels (the benchmark's generated data dir; ${total.toLocaleString("en-US")} within retention, ${failed.toLocaleString("en-US")} FAILED), demo fixtures
- **Method**: \`npm run bench:ui\`: one emulator in process; each request through the whole app (no socket) ${RUNS} times after 20 warm-up calls
- **Target**: every page and every route a page reads ≤ ${TARGET_MS} ms server-side: **${worst <= TARGET_MS ? "PASS" : "MISS"}** (worst p95 ${worst.toFixed(2)} ms)

${table}
`;
writeFileSync(new URL("UI-RESULTS.md", import.meta.url), md);
console.log(md);
