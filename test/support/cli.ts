/** The real CLI as a child process (real sockets, real files): from the TypeScript source or the build. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root: the CLI is run from here so `--import tsx`, dist/ and the fixtures resolve. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LISTENING = /listening on (http:\/\/\S+)/;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited. */
  exited: Promise<Exit>;
  /** Resolves with the base URL from the "listening on" line; rejects if the process exits first or on timeout. */
  ready(timeoutMs?: number): Promise<string>;
  /** SIGTERM (the CLI's shutdown handler runs); resolves once the process is gone, SIGKILLs it after timeoutMs. */
  stop(timeoutMs?: number): Promise<Exit>;
  /** SIGKILL (no shutdown handler runs); resolves once the process is gone. */
  kill(): Promise<Exit>;
}

export interface CliOptions {
  /**
   * Run the build (`node dist/cli.js`, as users do after `npm run build`; see ensureBuilt) instead
   * of the source (`node --import tsx src/cli.ts`).
   */
  dist?: boolean;
  /** A command the CLI runs under, e.g. ["prlimit", "--fsize=100000", "--"]. */
  wrap?: string[];
  /** Extra environment variables (e.g. EMULATOR_SEED). */
  env?: Record<string, string>;
}

const running = new Set<CliProcess>();

/** Starts the CLI with `args` in the project root (PORT and NODE_OPTIONS of this process are not passed on). */
export function startCli(args: string[], opts: CliOptions = {}): CliProcess {
  const env = { ...process.env, ...opts.env };
  delete env.PORT;
  delete env.NODE_OPTIONS;
  const entry = opts.dist ? ["dist/cli.js"] : ["--import", "tsx", "src/cli.ts"];
  const [cmd, ...pre] = [...(opts.wrap ?? []), process.execPath];
  const child = spawn(cmd!, [...pre, ...entry, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<Exit>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const proc: CliProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    ready(timeoutMs = 15_000) {
      return new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = out.match(LISTENING);
          if (m) {
            cleanup();
            resolve(m[1]);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`the CLI did not print its URL within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
        }, timeoutMs);
        const onExit = (code: number | null, signal: string | null) => {
          cleanup();
          reject(new Error(`the CLI exited (code ${code}, signal ${signal}) before listening\nstdout: ${out}\nstderr: ${err}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout!.off("data", check);
          child.off("exit", onExit);
        };
        child.stdout!.on("data", check);
        child.on("exit", onExit);
        check();
      });
    },
    async stop(timeoutMs = 10_000) {
      if (!gone()) child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!gone()) child.kill("SIGKILL");
      }, timeoutMs);
      const exit = await exited;
      clearTimeout(timer);
      running.delete(proc);
      return exit;
    },
    async kill() {
      if (!gone()) child.kill("SIGKILL");
      const exit = await exited;
      running.delete(proc);
      return exit;
    },
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Runs the CLI until it exits on its own; SIGKILLs it (and fails) after timeoutMs. */
export async function runToExit(
  args: string[],
  timeoutMs = 10_000,
  opts: CliOptions = {},
): Promise<Exit & { stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const proc = startCli(args, opts);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.child.kill("SIGKILL");
  }, timeoutMs);
  const exit = await proc.exited;
  clearTimeout(timer);
  if (timedOut) throw new Error(`the CLI was still running after ${timeoutMs} ms\nstdout: ${proc.stdout()}\nstderr: ${proc.stderr()}`);
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr(), ms: Date.now() - started };
}

/** SIGKILLs every CLI process these helpers started that is still running (for afterEach). */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill()));
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Makes sure dist/cli.js is the build of the current source: runs `npm run build` (as users do)
 * when dist/cli.js is missing or older than anything under src/ (or scripts/, or package.json).
 * Returns whether it built.
 */
export function ensureBuilt(): boolean {
  const built = mtimeOf(join(ROOT, "dist", "cli.js"));
  const inputs = ["src", "scripts"].filter((d) => existsSync(join(ROOT, d))).map((d) => newestMtime(join(ROOT, d)));
  if (built > Math.max(mtimeOf(join(ROOT, "package.json")), ...inputs)) return false;
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "pipe" });
  return true;
}
