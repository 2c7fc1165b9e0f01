/** Small helpers shared by the reliability suite (not a test file). */
import { readFileSync } from "node:fs";
import { http } from "../process.js";

/** mulberry32: seeded and reproducible (no Math.random in the suite). */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof prng>;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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
export const MB = 1024 * 1024;

/** A JSON request that never throws: network failures come back as status 0. */
export async function tryHttp(
  base: string,
  path: string,
  body: unknown,
  token?: string,
  method = "POST",
): Promise<{ status: number; body: any; text: string; error?: string }> {
  try {
    return await http(base, path, body, token, method);
  } catch (err) {
    return { status: 0, body: undefined, text: "", error: String((err as Error)?.cause ?? err) };
  }
}
