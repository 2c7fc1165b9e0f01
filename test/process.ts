/** Helpers for tests that run the real CLI as a child process (real sockets, real files). */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The project root: the CLI is run from here so `--import tsx` and the fixtures resolve. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));
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
  /** SIGKILL (no shutdown handler runs); resolves once the process is gone. */
  kill(): Promise<Exit>;
}

const running = new Set<CliProcess>();

/** Starts `node --import tsx src/cli.ts <args>` in the project root. */
export function startCli(args: string[]): CliProcess {
  const env = { ...process.env };
  delete env.PORT;
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<Exit>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
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
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
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
export async function runToExit(args: string[], timeoutMs = 10_000): Promise<Exit & { stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const proc = startCli(args);
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

export interface Http {
  status: number;
  body: any;
  text: string;
}

/** One JSON request to a running emulator. */
export async function http(base: string, path: string, body?: unknown, token?: string, method = "POST"): Promise<Http> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}
