/**
 * Processes of the benchmark: the build, CPU pinning, server child processes (started, timed to the
 * first 2xx, sampled for RSS, always killed) and the cleanup on exit, errors and Ctrl-C.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build as esbuild } from "esbuild";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The emulator build under test; BENCH_CLI points at another build (e.g. a worktree of an older commit) to compare. */
export const CLI = process.env.BENCH_CLI ?? join(ROOT, "dist", "cli.js");

/** Whether the emulator under test has an option (BENCH_CLI may be an older build, for before/after runs). */
export function cliKnows(flag: string): boolean {
  help ??= spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" }).stdout;
  return help.includes(flag);
}
let help: string | undefined;
const BUILD = join(ROOT, "bench", ".build");
/** The fixed bare-Hono baseline (small JSON, body not read). */
export const BASELINE = join(BUILD, "baseline.js");
/** Same-I/O baselines: (a) bare Hono and (b) node:http that read and parse the body, answer the emulator's size, and append durably for writes. */
export const BASELINE_HONO_IO = join(BUILD, "baseline-hono-io.js");
export const BASELINE_NODE_HTTP = join(BUILD, "baseline-node-http.js");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The esbuild half of `npm run build` (src → dist) and the baselines bundled the same way (bench/.build/*.js). */
export async function buildAll(): Promise<void> {
  const r = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`the build failed (${r.error?.message ?? `exit ${r.status}`})`);
  await esbuild({
    entryPoints: ["baseline.ts", "baseline-hono-io.ts", "baseline-node-http.ts"].map((f) => join(ROOT, "bench", f)),
    outdir: BUILD,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    logLevel: "warning",
  });
}

export interface Pinning {
  /** Command prefix for every server, e.g. ["taskset", "-c", "0"]. */
  prefix: string[];
  description: string;
}

/** Servers on core 0 (`taskset -c 0 node …`); this process (autocannon, all threads) moved to core 1. */
export function setUpPinning(): Pinning {
  const none = (why: string): Pinning => ({ prefix: [], description: `none (${why}): servers and load generator share every core` });
  if (process.platform !== "linux") return none(`platform ${process.platform}`);
  if (spawnSync("taskset", ["-V"]).error) return none("taskset not found");
  if (os.availableParallelism() < 2) return none("fewer than 2 cores available");
  const r = spawnSync("taskset", ["-a", "-c", "-p", "1", String(process.pid)], { encoding: "utf8" });
  if (r.status !== 0) return none(`taskset -a -c -p 1 failed: ${r.stderr.trim()}`);
  return {
    prefix: ["taskset", "-c", "0"],
    description:
      "every server (emulator and baseline) started as `taskset -c 0 node …` (core 0); the load generator " +
      `(this benchmark process, pid ${process.pid}, autocannon in-process, all its threads) moved to core 1 ` +
      "with `taskset -a -c -p 1 <pid>` before any load",
  };
}

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
export const removeLater = (dir: string) => void tempDirs.add(dir);

/** SIGKILLs every server still running and removes the temporary data dirs (sync: usable in 'exit'). */
export function cleanUp(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}

export function installCleanup(): void {
  process.on("exit", cleanUp);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      console.error(`\n[bench] ${sig}: stopping every server`);
      cleanUp();
      process.exit(130);
    });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Status of one GET, or 0 when the connection failed. */
function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 30_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

export interface Server {
  name: string;
  pid: number;
  url: string;
  /** Spawn → first 200 from GET /_emulator/health (polled every 5 ms). */
  startupMs: number;
  stop(): Promise<void>;
  /** SIGTERM: the server's own shutdown runs (and e.g. --cpu-prof writes its profile). */
  terminate(): Promise<void>;
}

/** Starts `[taskset -c 0] node <script> --port <free port> <args>` and waits for its first 2xx. */
export async function startServer(name: string, script: string, args: string[], pin: Pinning, nodeArgs: string[] = []): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.PORT;
  const cmd = [...pin.prefix, process.execPath, ...nodeArgs, script, "--port", String(port), "--host", "127.0.0.1", ...args];
  const t0 = performance.now();
  const child = spawn(cmd[0], cmd.slice(1), { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let output = "";
  const keep = (d: Buffer) => void (output = (output + d.toString()).slice(-4000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let startupMs = -1;
  while (startupMs < 0) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before answering:\n${output}`);
    if (performance.now() - t0 > 120_000) throw new Error(`${name} did not answer within 120 s:\n${output}`);
    if ((await getStatus(`${url}/_emulator/health`)) === 200) startupMs = performance.now() - t0;
    else await sleep(5);
  }
  return {
    name,
    pid: child.pid!,
    url,
    startupMs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
      children.delete(child);
    },
    async terminate() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      children.delete(child);
    },
  };
}

/** Resident set size of a process in bytes (Linux /proc), undefined elsewhere. */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

let clockTicks: number | undefined;
/** CPU time (user + system) a process has used, ms (Linux /proc), undefined elsewhere. */
export function cpuMs(pid: number): number | undefined {
  try {
    clockTicks ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Samples VmRSS every 100 ms until stopped; stop() returns the peak. */
export function sampleRss(pid: number): { stop(): number | undefined } {
  let peak: number | undefined;
  const take = () => {
    const v = rssBytes(pid);
    if (v !== undefined && (peak === undefined || v > peak)) peak = v;
  };
  take();
  const timer = setInterval(take, 100);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

export { sleep };
