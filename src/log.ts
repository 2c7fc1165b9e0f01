import { pino } from "pino";

/** The emulator's logger: pino's levelled, structured calls (an object of fields, then the message). */
export interface Logger {
  error(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  info(fields: object, msg: string): void;
  debug(fields: object, msg: string): void;
}

export type LogFormat = "pretty" | "json";
export type LogLevel = "error" | "warn" | "info" | "debug";
export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];

/** Fields whose values never reach a log line, wherever they appear (pino's redact paths). */
const REDACT = [
  "password",
  "secret_key",
  "token",
  "client_secret",
  "secret",
  "authorization",
  "cookie",
  "*.password",
  "*.secret_key",
  "*.token",
  "*.client_secret",
  "*.secret",
  "*.authorization",
  "*.cookie",
  'headers["x-emulator-admin-token"]',
];

const COLORS: Record<string, string> = { 50: "\x1b[31m", 40: "\x1b[33m", 30: "\x1b[36m", 20: "\x1b[90m" };
const NAMES: Record<string, string> = { 50: "ERROR", 40: "WARN ", 30: "INFO ", 20: "DEBUG" };
const HIDDEN = new Set(["level", "time", "msg", "pid", "hostname"]);

/** `[emulator] msg key=value …`, one line (a terminal reads this; CI and tools get JSON). */
function pretty(line: string, color: boolean): string {
  const o = JSON.parse(line) as Record<string, unknown>;
  const extra = Object.entries(o)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  const lvl = String(o.level);
  const tag = Number(o.level) >= 40 ? `${NAMES[lvl]?.trim()} ` : "";
  const text = `[emulator] ${tag}${String(o.msg ?? "")}${extra ? `  ${extra}` : ""}`;
  return color && COLORS[lvl] ? `${COLORS[lvl]}${text}\x1b[0m\n` : `${text}\n`;
}

export interface LoggerOptions {
  format: LogFormat;
  level: LogLevel;
  /** Where lines go (default stderr); tests pass their own sink. */
  write?: (line: string) => void;
  color?: boolean;
}

/**
 * Lines for stderr, written once per turn of the event loop: a write to a pipe or a file is
 * synchronous on Linux, so a line each cost a system call on the request's path (two a validation
 * or delivery try: `-->` and `<--`). What is pending is written at exit too; a SIGKILL can lose
 * at most the lines of the turn it lands in.
 */
let pending: string[] = [];
let exitHooked = false;
/** Writes the log lines still pending; the CLI calls it before it prints on stdout, so the two keep their order. */
export function flushStderr(): void {
  if (pending.length === 0) return;
  const text = pending.join("");
  pending = [];
  process.stderr.write(text);
}
function toStderr(line: string): void {
  if (pending.push(line) > 1) return;
  if (!exitHooked) {
    exitHooked = true;
    process.on("exit", flushStderr);
  }
  setImmediate(flushStderr);
}

/** A pino logger writing JSON lines, or the pretty one-line form, with secrets redacted by path. */
export function createLogger(o: LoggerOptions): Logger {
  const write = o.write ?? toStderr;
  const dest = {
    write: o.format === "json" ? write : (line: string) => write(pretty(line, o.color ?? false)),
  };
  return pino(
    { level: o.level, base: undefined, redact: { paths: REDACT, censor: "***" }, timestamp: pino.stdTimeFunctions.isoTime },
    dest,
  );
}

/** A logger for a plain `(line) => void` sink (tests and the programmatic API's `log` option). */
export function lineLogger(log: (line: string) => void, level: LogLevel = "info"): Logger {
  return createLogger({ format: "pretty", level, write: (line) => log(line.replace(/\n$/, "")) });
}
