/** Same-run ratios, the targets and the markdown written to stdout and bench/RESULTS.md. */
import type { LoadResult } from "./load.js";

export interface Check {
  target: string;
  pass: boolean;
}

export interface Row {
  scenario: string;
  kind: "baseline" | "read" | "write";
  /** "1k", "100k", "1M" or "—". */
  data: string;
  conns: number;
  /** What one response holds (checked before the load). */
  response?: string;
  result?: LoadResult;
  error?: string;
  ratio?: number;
  check?: Check;
  eld?: { max: number; p99: number };
}

export interface Measure {
  name: string;
  value: string;
  check?: Check;
}

export const MB = (b: number | undefined) => (b === undefined ? "n/a" : (b / 1_048_576).toFixed(0));
const num = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "—");
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "—");
const verdict = (c?: Check) => (c ? (c.pass ? "PASS" : "**MISS**") : "");

/** Mean baseline req/s per connection count (the baseline is measured at the start and the end). */
export function baselineRps(rows: Row[], conns: number): number | undefined {
  const v = rows.filter((r) => r.kind === "baseline" && r.conns === conns && r.result).map((r) => r.result!.rps);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
}

/** Ratios for every row; targets at 10 connections (a row with errors never passes). */
export function applyRowTargets(rows: Row[]): void {
  for (const row of rows) {
    const base = baselineRps(rows, row.conns);
    if (!row.result || !base) continue;
    row.ratio = row.result.rps / base;
    if (row.conns !== 10) continue;
    const clean = row.result.errors === 0;
    if (row.kind === "read" && row.data !== "1M") {
      row.check = { target: "≥ 0.5×", pass: clean && row.ratio >= 0.5 };
    } else if (row.kind === "write") {
      row.check = { target: "≥ 0.2×, p99 ≤ 50 ms", pass: clean && row.ratio >= 0.2 && row.result.p99 <= 50 };
    }
  }
  for (const row of rows) if (row.error && row.kind !== "baseline" && row.conns === 10) row.check ??= { target: "runs", pass: false };
}

export interface Header {
  mode: string;
  machine: string;
  pinning: string;
  method: string[];
}

export function renderMarkdown(h: Header, rows: Row[], measures: Measure[]): string {
  const checks = [...rows.map((r) => r.check), ...measures.map((m) => m.check)].filter((c): c is Check => !!c);
  const missed = checks.filter((c) => !c.pass).length;
  const out = [
    "# Benchmark results",
    "",
    `- **Date**: ${new Date().toISOString()}`,
    `- **Mode**: ${h.mode}`,
    `- **Machine**: ${h.machine}`,
    `- **Pinning**: ${h.pinning}`,
    ...h.method.map((m) => `- ${m}`),
    "- **Reproduce**: `npm ci && npm run bench` (full) or `npm run bench -- --quick`; generated data is cached in " +
      "`$TMPDIR/ts-emulator-bench-<jobs>` (regenerated after 2 days or when the generator changes).",
    "",
    `**Targets: ${checks.length - missed} PASS, ${missed} MISS** (targets from issue 4, at 10 connections unless stated; ` +
      "× baseline = req/s divided by the bare-Hono baseline's mean req/s at the same connection count, same run).",
    "",
    "## Throughput and latency",
    "",
    "| Scenario | Jobs | Conns | Response | req/s | p50 ms | p99 ms | Errors | Peak RSS MB | × baseline | Target | Result |",
    "|---|---|--:|---|--:|--:|--:|--:|--:|--:|---|---|",
  ];
  for (const r of rows) {
    const x = r.result;
    const cells = x
      ? [num(x.rps), ms(x.p50), ms(x.p99), num(x.errors), MB(x.peakRss)]
      : [`FAILED: ${(r.error ?? "").replace(/\|/g, "/").slice(0, 120)}`, "", "", "", ""];
    const ratio = r.ratio === undefined ? "—" : `${r.ratio.toFixed(2)}×`;
    out.push(
      `| ${r.scenario} | ${r.data} | ${r.conns} | ${r.response ?? ""} | ${cells.join(" | ")} | ${ratio} | ${r.check?.target ?? ""} | ${verdict(r.check)} |`,
    );
  }
  out.push("", "## Start-up, memory, event loop, scale", "", "| Measure | Value | Target | Result |", "|---|---|---|---|");
  for (const m of measures) out.push(`| ${m.name} | ${m.value} | ${m.check?.target ?? ""} | ${verdict(m.check)} |`);
  out.push("");
  return out.join("\n");
}
