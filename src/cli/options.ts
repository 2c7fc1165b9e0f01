import { parseArgs } from "node:util";
import {
  DEFAULT_CONFIG,
  type EmulatorConfig,
  OBJECT_KEY_LAYOUTS,
  SIGNATURE_PARTS,
  SIGNATURE_SCHEMES,
  WEBHOOKS_PER_ORG,
} from "../config.js";
import { parseTarget } from "../delivery/targets.js";
import { LOG_LEVELS } from "../log.js";
import { parseRelease, RELEASES } from "../schemas/releases.js";

interface Flag {
  name: string;
  type: "string" | "boolean";
  multiple?: boolean;
  arg: string;
  help: string;
}

/** Every option of the server, with its help text; each can also be set as EMULATOR_<NAME> (e.g. EMULATOR_DATA_DIR). */
export const FLAGS: Flag[] = [
  { name: "port", type: "string", arg: "N", help: "port to listen on (also env PORT; default 4010; 0 = any free port)" },
  { name: "host", type: "string", arg: "H", help: "address to bind (default 127.0.0.1); anything but loopback needs --admin-token" },
  {
    name: "admin-token",
    type: "string",
    arg: "T",
    help: "every /_emulator request (but GET /_emulator/health) must carry the header X-Emulator-Admin-Token: T",
  },
  {
    name: "allowed-host",
    type: "string",
    multiple: true,
    arg: "NAME",
    help: "also answer requests whose Host is NAME (repeatable; default: localhost, *.localhost, 127.x, [::1] and the --host value)",
  },
  {
    name: "data-dir",
    type: "string",
    arg: "DIR",
    help: "where the op logs, state.json, history.jsonl and buckets/ live (default ./.emulator-data)",
  },
  { name: "in-memory", type: "boolean", arg: "", help: "keep everything in memory; nothing is written" },
  {
    name: "no-fsync",
    type: "boolean",
    arg: "",
    help: "acknowledge writes once the OS has them (survive an emulator crash, not a power loss); faster durable writes",
  },
  {
    name: "reset-data",
    type: "boolean",
    arg: "",
    help: "move an unusable state or history file aside (*.corrupt-<time>) and start that part again from the fixtures",
  },
  {
    name: "repair",
    type: "boolean",
    arg: "",
    help: "keep every readable line of a log with unreadable lines (set aside in *.corrupt-lines-<time>)",
  },
  { name: "compact-expired", type: "boolean", arg: "", help: "let compaction drop history older than --retention-days (never otherwise)" },
  { name: "max-namespaces", type: "string", arg: "N", help: "how many namespaces may exist at once (default 1000)" },
  { name: "max-jobs", type: "string", arg: "N", help: "how many history jobs one namespace may hold (default 2000000)" },
  { name: "fixtures", type: "string", arg: "FILE", help: "fixtures file (default fixtures/fixtures.json)" },
  { name: "error-shape", type: "string", arg: "S", help: "live (default, as real clusters) or spec (flat, as the OpenAPI examples)" },
  { name: "token-ttl", type: "string", arg: "SEC", help: "default token validity for auth/token/full (default 300)" },
  { name: "retention-days", type: "string", arg: "N", help: "delivery history retention (default 3)" },
  { name: "seed", type: "string", arg: "N", help: "make every generated id, name, time and record reproducible" },
  { name: "clock", type: "string", arg: "ISO", help: "start the emulator clock at this time" },
  { name: "freeze-clock", type: "boolean", arg: "", help: "start with the clock frozen (move it with POST /_emulator/clock)" },
  { name: "scenario", type: "string", multiple: true, arg: "NAME", help: "activate a scenario at start (repeatable)" },
  { name: "scenarios-dir", type: "string", arg: "DIR", help: "extra folder of scenario files" },
  { name: "history", type: "string", arg: "D[,R]", help: "synthesize D days of history, R runs/day (default 8) for each webhook at start" },
  { name: "live-webhooks", type: "boolean", arg: "", help: "also really POST to public hosts (default: loopback only, others simulated)" },
  {
    name: "webhook-target",
    type: "string",
    multiple: true,
    arg: "H:P",
    help: "always really POST to this receiver (repeatable); once --host is beyond loopback, these are the only receivers that get real POSTs",
  },
  {
    name: "allow-private-targets",
    type: "boolean",
    arg: "",
    help: "with --live-webhooks: also POST to private, link-local and metadata addresses",
  },
  {
    name: "cors-origin",
    type: "string",
    multiple: true,
    arg: "O",
    help: "allow this browser origin (repeatable; default any localhost origin); also the origins the admin routes accept",
  },
  { name: "validation-timeout-ms", type: "string", arg: "N", help: "receiver timeout for validation (default 5000)" },
  {
    name: "delivery-backoff-ms",
    type: "string",
    arg: "L",
    help: "waits between delivery tries, comma-separated (default 1000,2000: 3 tries)",
  },
  {
    name: "webhooks-per-org",
    type: "string",
    arg: "one|many",
    help: "one LIVEBOARD_SCHEDULE webhook per org (default one, as the docs say) or many (as the spec's examples show)",
  },
  {
    name: "signature-scheme",
    type: "string",
    arg: "S",
    help: "hex (default), base64 or sha256=hex: how the HMAC-SHA256 signature is written",
  },
  {
    name: "signature-part",
    type: "string",
    arg: "P",
    help: "body (default: the exact multipart body bytes) or payload (the payload part's JSON)",
  },
  {
    name: "object-key-layout",
    type: "string",
    arg: "L",
    help: "org-user (default: <prefix>/cluster-<id>/org-<org>/user-<user>/liveboard/<file>) or user-org (user before org, as the docs' payload page shows)",
  },
  {
    name: "release",
    type: "string",
    arg: "R",
    help: "ThoughtSpot release to emulate: 10.14, 26.4, 26.7, 26.8 (default) or 26.10; endpoints and fields follow the spec's version tags",
  },
  {
    name: "cloud",
    type: "string",
    arg: "C",
    help: "where the emulated cluster is hosted: aws (default) or gcp (decides the entries of GET /webhooks/storage-config)",
  },
  { name: "log-requests", type: "boolean", arg: "", help: "log one line per request (with its journal id and an error's trace id)" },
  { name: "log-format", type: "string", arg: "F", help: "pretty (default on a terminal) or json (default otherwise)" },
  { name: "log-level", type: "string", arg: "L", help: "error, warn, info (default) or debug" },
  { name: "journal-size", type: "string", arg: "N", help: "requests kept per namespace in the journal (default 1000; 0 = off)" },
  { name: "journal-admin", type: "boolean", arg: "", help: "journal /_emulator requests too" },
  { name: "watch", type: "boolean", arg: "", help: "reload scenario files and the fixtures file when they change" },
];

/** The environment variable of a flag: --data-dir → EMULATOR_DATA_DIR. */
export const envName = (flag: string) => `EMULATOR_${flag.toUpperCase().replace(/-/g, "_")}`;

export function fail(message: string): never {
  console.error(`[emulator] ${message}\n[emulator] Run with --help for the options.`);
  process.exit(2);
}

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * The flags given on the command line, then those set in the environment (EMULATOR_<NAME>; a list
 * comma-separated, a switch 1/true/yes or 0/false/no) for what the command line left out.
 */
function readFlags(argv: string[], env: NodeJS.ProcessEnv): Values & Record<string, any> {
  const options = Object.fromEntries([
    ...FLAGS.map((f) => [f.name, { type: f.type, ...(f.multiple && { multiple: true }) }]),
    ["help", { type: "boolean", short: "h" }],
    ["version", { type: "boolean", short: "v" }],
  ]) as Parameters<typeof parseArgs>[0] extends infer P ? (P extends { options?: infer O } ? O : never) : never;
  const { values } = parseArgs({ args: argv, strict: true, options });
  const v = values as Values;
  for (const f of FLAGS) {
    const raw = env[envName(f.name)];
    if (v[f.name] !== undefined || raw === undefined) continue;
    if (f.type === "boolean") {
      if (!/^(1|true|yes|0|false|no)$/i.test(raw))
        fail(`${envName(f.name)} must be 1, true, yes, 0, false or no, got ${JSON.stringify(raw)}`);
      v[f.name] = /^(1|true|yes)$/i.test(raw);
    } else
      v[f.name] = f.multiple
        ? raw
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : raw;
  }
  return v;
}

/** The server's --help: every flag with its environment variable. */
export function helpText(bin: string): string {
  const rows = FLAGS.map((f) => {
    const left = `  --${f.name}${f.arg ? ` ${f.arg}` : ""}`;
    return `${left.padEnd(30)} ${f.help} [${envName(f.name)}]`;
  });
  return `ThoughtSpot communication-channels emulator

Usage: ${bin} [options]            start the emulator
       ${bin} <command> [--url U]  talk to a running one (see "Commands" below)

Options (each can also be set with the environment variable in brackets):
${rows.join("\n")}
  --version, -v                  print the version
  --help, -h                     this text

Commands (--url, default http://localhost:4010 or EMULATOR_URL; --namespace NS; --admin-token T):
  reset                          back to the fixtures (the namespace, or every one)
  scenario on|off NAME           switch a scenario on or off
  deliver WEBHOOK                fire a Liveboard schedule run at a webhook (id or name)
  run-schedule SCHEDULE [--org ORG]   run a schedule now (id or name), whatever its status
  clock +1h|-30m|ISO|freeze|unfreeze   move, set or freeze the emulator clock
  synthesize D[,R]               synthesize D days of history, R runs a day
  requests [--limit N]           the request journal, newest first
  inbox [NAME]                   what the webhooks received
`;
}

function choice<T extends string>(name: string, v: string | undefined, choices: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v)) fail(`--${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(v)}`);
  return v as T;
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} takes a whole number, got ${JSON.stringify(v)}`);
  return n;
}

/** argv and environment → the emulator's config (exits 2 with the reason on a bad value). */
export function configFromArgs(argv: string[], env: NodeJS.ProcessEnv): EmulatorConfig & { help: boolean; version: boolean } {
  const v = readFlags(argv, env);
  const shape = v["error-shape"] ?? "live";
  if (shape !== "live" && shape !== "spec") fail(`--error-shape must be live or spec, got ${JSON.stringify(shape)}`);
  const release = parseRelease(v.release ?? DEFAULT_CONFIG.release);
  if (!release)
    fail(`--release must be one of ${RELEASES.map((r) => r.replace(/\.0\.cl$/, "")).join(", ")}, got ${JSON.stringify(v.release)}`);
  const cloud = v.cloud ?? DEFAULT_CONFIG.cloud;
  if (cloud !== "aws" && cloud !== "gcp") fail(`--cloud must be aws or gcp, got ${JSON.stringify(cloud)}`);
  let clockStart: number | undefined;
  if (v.clock !== undefined) {
    clockStart = Date.parse(v.clock);
    if (!Number.isFinite(clockStart)) fail(`--clock takes an ISO time such as 2026-03-30T13:10:30Z, got ${JSON.stringify(v.clock)}`);
  }
  const webhookTargets = (v["webhook-target"] ?? []).map(
    (t: string) => parseTarget(t) ?? fail(`--webhook-target takes host:port, got ${JSON.stringify(t)}`),
  );
  const adminToken = v["admin-token"];
  if (adminToken === "") fail("--admin-token (or EMULATOR_ADMIN_TOKEN) must not be empty");
  let history: EmulatorConfig["history"];
  if (v.history !== undefined) {
    const [days, runs] = v.history.split(",");
    history = { days: int("history", days)!, runsPerDay: int("history", runs ?? "8")! };
  }
  return {
    ...DEFAULT_CONFIG,
    port: int("port", v.port ?? env.PORT) ?? DEFAULT_CONFIG.port,
    host: v.host ?? DEFAULT_CONFIG.host,
    dataDir: v["in-memory"] ? null : (v["data-dir"] ?? DEFAULT_CONFIG.dataDir),
    resetData: v["reset-data"] ?? false,
    repair: v.repair ?? false,
    compactExpired: v["compact-expired"] ?? false,
    maxNamespaces: int("max-namespaces", v["max-namespaces"]) ?? DEFAULT_CONFIG.maxNamespaces,
    maxJobs: int("max-jobs", v["max-jobs"]) ?? DEFAULT_CONFIG.maxJobs,
    fsync: !(v["no-fsync"] ?? false),
    fixturesFile: v.fixtures,
    errorShape: shape,
    tokenTtlSec: int("token-ttl", v["token-ttl"]) ?? DEFAULT_CONFIG.tokenTtlSec,
    retentionDays: int("retention-days", v["retention-days"]) ?? DEFAULT_CONFIG.retentionDays,
    seed: int("seed", v.seed),
    clockStart,
    freezeClock: v["freeze-clock"] ?? false,
    scenarios: v.scenario ?? [],
    scenariosDir: v["scenarios-dir"] ?? "",
    history,
    liveWebhooks: v["live-webhooks"] ?? false,
    allowPrivateTargets: v["allow-private-targets"] ?? false,
    webhookTargets,
    corsOrigins: v["cors-origin"] ?? [],
    allowedHosts: v["allowed-host"] ?? [],
    adminToken,
    validationTimeoutMs: int("validation-timeout-ms", v["validation-timeout-ms"]) ?? DEFAULT_CONFIG.validationTimeoutMs,
    deliveryBackoffMs:
      v["delivery-backoff-ms"]?.split(",").map((x: string) => int("delivery-backoff-ms", x)!) ?? DEFAULT_CONFIG.deliveryBackoffMs,
    deliveryAttempts: v["delivery-backoff-ms"] ? v["delivery-backoff-ms"].split(",").length + 1 : DEFAULT_CONFIG.deliveryAttempts,
    webhooksPerOrg: choice("webhooks-per-org", v["webhooks-per-org"], WEBHOOKS_PER_ORG, DEFAULT_CONFIG.webhooksPerOrg),
    signatureScheme: choice("signature-scheme", v["signature-scheme"], SIGNATURE_SCHEMES, DEFAULT_CONFIG.signatureScheme),
    signaturePart: choice("signature-part", v["signature-part"], SIGNATURE_PARTS, DEFAULT_CONFIG.signaturePart),
    objectKeyLayout: choice("object-key-layout", v["object-key-layout"], OBJECT_KEY_LAYOUTS, DEFAULT_CONFIG.objectKeyLayout),
    logRequests: v["log-requests"] ?? false,
    logFormat: choice("log-format", v["log-format"], ["pretty", "json"] as const, process.stderr.isTTY ? "pretty" : "json"),
    logLevel: choice("log-level", v["log-level"], LOG_LEVELS, DEFAULT_CONFIG.logLevel),
    journalSize: int("journal-size", v["journal-size"]) ?? DEFAULT_CONFIG.journalSize,
    journalAdmin: v["journal-admin"] ?? false,
    watch: v.watch ?? false,
    release,
    cloud,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}
