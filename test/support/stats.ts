/** Measurements of the reliability suite: process memory, latency percentiles. */
import { readFileSync } from "node:fs";

export const MB = 1024 * 1024;

/** Resident set size of a process in bytes, from /proc/<pid>/status (null once it is gone). */
export function rssOf(pid: number): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+)\s+kB/m);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
