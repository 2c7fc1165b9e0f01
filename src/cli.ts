#!/usr/bin/env node
/** The only side-effecting entry: argv/env → config → emulator → listen. */
import { parseArgs } from "node:util";
import { DEFAULT_CONFIG, type EmulatorConfig, OBJECT_KEY_LAYOUTS, SIGNATURE_PARTS, SIGNATURE_SCHEMES, WEBHOOKS_PER_ORG } from "./config.js";
import { parseTarget } from "./delivery/targets.js";
import { startEmulator } from "./emulator.js";
import { LOG_LEVELS } from "./log.js";
import { parseRelease, RELEASES } from "./schemas/releases.js";

const HELP = `ThoughtSpot communication-channels emulator

Usage: npm start -- [options]

  --port N               port to listen on (env PORT; default 4010; 0 = any free port)
  --host H               address to bind (default 127.0.0.1); anything but loopback needs --admin-token
  --admin-token T        every /_emulator request (but GET /_emulator/health) must carry the header
                         X-Emulator-Admin-Token: T (env EMULATOR_ADMIN_TOKEN)
  --allowed-host NAME    also answer requests whose Host is NAME (repeatable; default: localhost,
                         *.localhost, 127.x, [::1] and the --host value)
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
  --live-webhooks        also really POST to public hosts (default: loopback only, others simulated)
  --webhook-target H:P   always really POST to this receiver (repeatable); once --host is beyond
                         loopback, these are the only receivers that get real POSTs
  --allow-private-targets  with --live-webhooks: also POST to private, link-local and metadata addresses
  --cors-origin O        allow this browser origin (repeatable; default any localhost origin); also
                         the origins the admin routes accept
  --validation-timeout-ms N   receiver timeout for validation (default 5000)
  --delivery-backoff-ms L  waits between delivery tries, comma-separated (default 1000,2000: 3 tries)
  --webhooks-per-org one|many  one LIVEBOARD_SCHEDULE webhook per org (default one, as the docs say) or
                         many (as the spec's examples show)
  --signature-scheme S   hex (default), base64 or sha256=hex: how the HMAC-SHA256 signature is written
  --signature-part P     body (default: the exact multipart body bytes) or payload (the payload part's JSON)
  --object-key-layout L  org-user (default: <prefix>/cluster-<id>/org-<org>/user-<user>/liveboard/<file>)
                         or user-org (user before org, as the docs' payload page shows)
  --release R            ThoughtSpot release to emulate: 10.14, 26.4, 26.7, 26.8 (default) or 26.10;
                         endpoints and fields follow the spec's version tags
  --cloud C              where the emulated cluster is hosted: aws (default) or gcp (decides the
                         entries of GET /webhooks/storage-config)
  --log-requests         log one line per request (with its journal id and an error's trace id)
  --log-format F         pretty (default on a terminal) or json (default otherwise)
  --log-level L          error, warn, info (default) or debug
  --journal-size N       requests kept per namespace in the journal (default 1000; 0 = off)
  --journal-admin        journal /_emulator requests too
  --help                 this text
`;

function fail(message: string): never {
  console.error(`[emulator] ${message}\n[emulator] Run with --help for the options.`);
  process.exit(2);
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
      "webhook-target": { type: "string", multiple: true },
      "allow-private-targets": { type: "boolean" },
      "cors-origin": { type: "string", multiple: true },
      "allowed-host": { type: "string", multiple: true },
      "admin-token": { type: "string" },
      "validation-timeout-ms": { type: "string" },
      "delivery-backoff-ms": { type: "string" },
      "webhooks-per-org": { type: "string" },
      "signature-scheme": { type: "string" },
      "signature-part": { type: "string" },
      "object-key-layout": { type: "string" },
      "log-requests": { type: "boolean" },
      "log-format": { type: "string" },
      "log-level": { type: "string" },
      "journal-size": { type: "string" },
      "journal-admin": { type: "boolean" },
      release: { type: "string" },
      cloud: { type: "string" },
      help: { type: "boolean" },
    },
  });
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
    (t) => parseTarget(t) ?? fail(`--webhook-target takes host:port, got ${JSON.stringify(t)}`),
  );
  const adminToken = v["admin-token"] ?? env.EMULATOR_ADMIN_TOKEN;
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
    deliveryBackoffMs: v["delivery-backoff-ms"]?.split(",").map((x) => int("delivery-backoff-ms", x)!) ?? DEFAULT_CONFIG.deliveryBackoffMs,
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
    release,
    cloud,
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
    `[emulator] dashboard: ${emu.url}/_emulator/ui/${config.adminToken ? "  (it asks for the admin token, or add #admin_token=<token> to the URL)" : ""}`,
  );
  console.log(
    `[emulator] release: ${config.release} (${config.cloud.toUpperCase()}-hosted)   data: ${config.dataDir ?? "in memory"}   error shape: ${config.errorShape}   retention: ${config.retentionDays} days${config.seed !== undefined ? `   seed: ${config.seed}` : ""}`,
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
