#!/usr/bin/env node
/** The only side-effecting entry: argv/env → config → emulator → listen. */
import { parseArgs } from "node:util";
import { DEFAULT_CONFIG, type EmulatorConfig } from "./config.js";
import { startEmulator } from "./emulator.js";

const HELP = `ThoughtSpot communication-channels emulator

Usage: npm start -- [options]

  --port N               port to listen on (env PORT; default 4010; 0 = any free port)
  --host H               address to bind (default 127.0.0.1)
  --data-dir DIR         where state.json, history.jsonl and buckets/ live (default ./.emulator-data)
  --in-memory            keep everything in memory; nothing is written
  --no-fsync             acknowledge writes once the OS has them (survive an emulator crash, not a
                         power loss); faster durable writes
  --reset-data           move an unusable state or history file aside (*.corrupt-<time>) and start
                         that part again from the fixtures
  --repair               keep every readable line of a log with unreadable lines (set aside in
                         *.corrupt-lines-<time>)
  --compact-expired      let compaction drop history older than --retention-days (never otherwise)
  --max-namespaces N     how many namespaces may exist at once (default 1000)
  --max-jobs N           how many history jobs one namespace may hold (default 2000000)
  --fixtures FILE        fixtures file (default fixtures/fixtures.json)
  --error-shape S        live (default, as real clusters) or spec (flat, as the OpenAPI examples)
  --token-ttl SEC        default token validity for auth/token/full (default 300)
  --retention-days N     delivery history retention (default 3)
  --seed N               make every generated id, name, time and record reproducible
  --clock ISO            start the emulator clock at this time
  --freeze-clock         start with the clock frozen (move it with POST /_emulator/clock)
  --scenario NAME        activate a scenario at start (repeatable)
  --scenarios-dir DIR    extra folder of scenario files
  --history D[,R]        synthesize D days of history, R runs/day (default 8) for each webhook at start
  --live-webhooks        validation really POSTs to every host (default: loopback only)
  --cors-origin O        allow this browser origin (repeatable; default any localhost origin)
  --validation-timeout-ms N   receiver timeout for validation (default 5000)
  --delivery-backoff-ms L  waits between delivery tries, comma-separated (default 1000,2000: 3 tries)
  --log-requests         print one line per request
  --help                 this text
`;

function fail(message: string): never {
  console.error(`[emulator] ${message}\n[emulator] Run with --help for the options.`);
  process.exit(2);
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} takes a whole number, got ${JSON.stringify(v)}`);
  return n;
}

export function configFromArgs(argv: string[], env: NodeJS.ProcessEnv): EmulatorConfig & { help: boolean } {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "data-dir": { type: "string" },
      "in-memory": { type: "boolean" },
      "no-fsync": { type: "boolean" },
      "reset-data": { type: "boolean" },
      repair: { type: "boolean" },
      "compact-expired": { type: "boolean" },
      "max-namespaces": { type: "string" },
      "max-jobs": { type: "string" },
      fixtures: { type: "string" },
      "error-shape": { type: "string" },
      "token-ttl": { type: "string" },
      "retention-days": { type: "string" },
      seed: { type: "string" },
      clock: { type: "string" },
      "freeze-clock": { type: "boolean" },
      scenario: { type: "string", multiple: true },
      "scenarios-dir": { type: "string" },
      history: { type: "string" },
      "live-webhooks": { type: "boolean" },
      "cors-origin": { type: "string", multiple: true },
      "validation-timeout-ms": { type: "string" },
      "delivery-backoff-ms": { type: "string" },
      "log-requests": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  const shape = v["error-shape"] ?? "live";
  if (shape !== "live" && shape !== "spec") fail(`--error-shape must be live or spec, got ${JSON.stringify(shape)}`);
  let clockStart: number | undefined;
  if (v.clock !== undefined) {
    clockStart = Date.parse(v.clock);
    if (!Number.isFinite(clockStart)) fail(`--clock takes an ISO time such as 2026-03-30T13:10:30Z, got ${JSON.stringify(v.clock)}`);
  }
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
    corsOrigins: v["cors-origin"] ?? [],
    validationTimeoutMs: int("validation-timeout-ms", v["validation-timeout-ms"]) ?? DEFAULT_CONFIG.validationTimeoutMs,
    deliveryBackoffMs: v["delivery-backoff-ms"]?.split(",").map((x) => int("delivery-backoff-ms", x)!) ?? DEFAULT_CONFIG.deliveryBackoffMs,
    deliveryAttempts: v["delivery-backoff-ms"] ? v["delivery-backoff-ms"].split(",").length + 1 : DEFAULT_CONFIG.deliveryAttempts,
    logRequests: v["log-requests"] ?? false,
    help: v.help ?? false,
  };
}

async function main() {
  let config: ReturnType<typeof configFromArgs>;
  try {
    config = configFromArgs(process.argv.slice(2), process.env);
  } catch (err) {
    fail((err as Error).message);
  }
  if (config.help) {
    console.log(HELP);
    return;
  }
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emu = await startEmulator(config);
  } catch (err) {
    console.error((err as Error).message.startsWith("[emulator]") ? (err as Error).message : `[emulator] ${(err as Error).stack}`);
    process.exit(1);
  }
  const fixtures = emu.store.namespace("default").state;
  console.log(`[emulator] ThoughtSpot communication-channels emulator listening on ${emu.url}`);
  console.log(
    `[emulator] data: ${config.dataDir ?? "in memory"}   error shape: ${config.errorShape}   retention: ${config.retentionDays} days${config.seed !== undefined ? `   seed: ${config.seed}` : ""}`,
  );
  if (config.fixturesFile === undefined) {
    console.log(`[emulator] users (username/password): ${fixtures.users.map((u) => `${u.name}/${u.password}`).join(", ")}`);
    console.log(`[emulator] trusted-auth secret_key: ${fixtures.secret_key}`);
  } else {
    // A fixtures file of the user's own may hold real-looking secrets: never print them.
    console.log(
      `[emulator] users: ${fixtures.users.map((u) => u.name).join(", ")} (passwords and trusted-auth secret_key: see ${config.fixturesFile})`,
    );
  }
  console.log(
    `[emulator] try:\n  curl -s -X POST ${emu.url}/api/rest/2.0/auth/token/full -H 'Content-Type: application/json' -d '{"username":"tsadmin","password":"admin"}'`,
  );
  const shutdown = async () => {
    await emu.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

void main();
