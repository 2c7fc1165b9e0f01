import type { AddressInfo } from "node:net";
import { createAdaptorServer, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import { boundAddresses, isLoopbackHost } from "./addresses.js";
import { createApp } from "./app.js";
import type { AppEnv } from "./app-env.js";
import type { Clock } from "./clock.js";
import { DEFAULT_CONFIG, type EmulatorConfig } from "./config.js";
import type { Deps } from "./context.js";
import type { Lookup } from "./delivery/targets.js";
import type { OutgoingFetch } from "./delivery/transport.js";
import { createDeps } from "./deps.js";
import { ApiError } from "./errors.js";
import { DEFAULT_FIXTURES_FILE, type Fixtures } from "./fixtures.js";
import { type Observers, observers } from "./handles.js";
import type { ScenarioEngine } from "./scenarios/engine.js";
import { BUILTIN_SCENARIOS_DIR } from "./scenarios/loader.js";
import { parseRelease, RELEASES } from "./schemas/releases.js";
import { resetNamespaces } from "./services/namespaces.js";
import { loadSynthesizer, synthesize } from "./services/synthesis.js";
import type { Store } from "./store/index.js";
import { watchFiles } from "./watch.js";

export interface EmulatorOptions extends Partial<EmulatorConfig> {
  /** Fixtures object (instead of fixturesFile). */
  fixtures?: Fixtures;
  /** Outgoing HTTP (validation test POSTs, OAuth2); defaults to global fetch (a call to a checked host name gets `init.pin`). */
  fetch?: OutgoingFetch;
  /** DNS for outgoing calls to host names; defaults to dns.lookup with every address. */
  lookup?: Lookup;
  /** Inject a clock (tests); otherwise one is made from clockStart. */
  clock?: Clock;
  log?: (line: string) => void;
}

export interface Emulator extends Observers {
  app: Hono<AppEnv>;
  store: Store;
  clock: Clock;
  scenarios: ScenarioEngine;
  config: EmulatorConfig;
  deps: Deps;
  /** Restores one namespace (or all) to the fixtures and the start-up scenarios. */
  reset(namespace?: string): Promise<void>;
  /** Stops background work, waits for pending writes, snapshots the state and closes files. */
  close(): Promise<void>;
  /** The URL the emulator is reachable at (set by startEmulator once listening). */
  readonly baseUrl: string;
}

/** The emulated release as a full tag ("26.4" → "26.4.0.cl"); an unknown one stops start-up. */
function checkRelease(config: EmulatorConfig): void {
  const release = parseRelease(config.release);
  if (!release) {
    throw new Error(`[emulator] Unknown release ${JSON.stringify(config.release)}; expected one of ${RELEASES.join(", ")}.`);
  }
  config.release = release;
  if (config.cloud !== "aws" && config.cloud !== "gcp") {
    throw new Error(`[emulator] Unknown cloud ${JSON.stringify(config.cloud)}; expected aws or gcp.`);
  }
}

async function build(options: EmulatorOptions, listening: boolean): Promise<Emulator> {
  const { fixtures, fetch, lookup, clock, log, ...rest } = options;
  const config: EmulatorConfig = { ...DEFAULT_CONFIG, dataDir: null, ...rest };
  checkRelease(config);
  const deps = await createDeps(config, { fixtures, fetch, lookup, clock, log, listening });
  try {
    // Namespaces with schedules on disk start their schedulers now (the missed-run rule applies).
    for (const name of deps.store.withSchedules()) deps.namespaces.get(name);
    if (config.history) await synthesizeAtStart(deps, config.history);
  } catch (err) {
    await deps.store.close();
    throw err;
  }
  const unwatch = config.watch
    ? watchFiles(deps, [BUILTIN_SCENARIOS_DIR, config.scenariosDir].filter(Boolean), config.fixturesFile ?? DEFAULT_FIXTURES_FILE)
    : () => {};
  return {
    ...observers(deps),
    app: createApp(deps),
    store: deps.store,
    clock: deps.clock,
    scenarios: deps.scenarios,
    config,
    deps,
    async reset(namespace?: string) {
      await resetNamespaces(deps, namespace);
    },
    async close() {
      unwatch();
      await deps.background.close();
      await deps.store.close();
    },
    get baseUrl() {
      return deps.origin.url;
    },
  };
}

/**
 * Builds an emulator in-process: config → deps → app. Throws with a clear message when a data file,
 * fixtures file or scenario file is unusable, or the data dir is another emulator's. Does not
 * listen (see startEmulator).
 */
export function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return build(options, false);
}

/**
 * --history at start: every namespace with webhooks and no history gets its synthesized past,
 * with progress in the log for long runs and a summary; a warning when no webhook is there to fill.
 */
async function synthesizeAtStart(deps: Deps, h: { days: number; runsPerDay: number }) {
  const names = deps.store.names();
  const { logger } = deps;
  const started = performance.now();
  let jobs = 0;
  let hooks = 0;
  for (const name of names.length ? names : ["default"]) {
    const ns = deps.namespaces.get(name);
    if (ns.state.webhooks.length === 0 || ns.history.size > 0) continue;
    let said = performance.now();
    try {
      const { created } = await synthesize(
        { deps, ns, requestScenarios: [], fired: [] },
        { days: h.days, runs_per_day: h.runsPerDay, failure_rate: 0.05, retry_rate: 0.1 },
        (stored, total) => {
          if (performance.now() - said < 2000) return;
          said = performance.now();
          logger.info(
            { ns: name, stored, total },
            `Synthesizing history: ${stored.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} jobs…`,
          );
        },
      );
      for (const c of created) jobs += c.jobs;
      hooks += created.length;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      throw new Error(`[emulator] --history ${h.days},${h.runsPerDay}: ${err.debug}`);
    }
  }
  if (hooks === 0) {
    logger.warn(
      {},
      `--history ${h.days},${h.runsPerDay}: there is no webhook to synthesize history for (the fixtures have none, or their history exists already). Try --fixtures fixtures/demo.json.`,
    );
  } else {
    const s = ((performance.now() - started) / 1000).toFixed(1);
    logger.info({ jobs, webhooks: hooks }, `Synthesized ${jobs.toLocaleString("en-US")} history jobs for ${hooks} webhook(s) in ${s} s.`);
  }
}

export interface RunningEmulator extends Emulator {
  url: string;
  server: ServerType;
  /** Stops listening, waits for pending writes, closes files. */
  stop(): Promise<void>;
}

/** startEmulator's rejection when its port is taken: the CLI prints one line with the fix. */
export class PortInUseError extends Error {
  readonly code = "EADDRINUSE";
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(
      `[emulator] Port ${port} on ${host} is already in use (another emulator, or Prism, which uses 4010 too). ` +
        `Start on another port: --port ${port + 1}, PORT=${port + 1}, or --port 0 for any free one.`,
    );
    this.name = "PortInUseError";
  }
}

const NOT_READY = () =>
  new Response(JSON.stringify({ error: "The emulator is starting; try again in a moment." }), {
    status: 503,
    headers: { "content-type": "application/json", "retry-after": "1" },
  });

/**
 * Listens (port 0 = a free port), then opens the data dir: a busy port fails before any file is
 * touched, and the lock names the port. Resolves with the running emulator and its URL.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? DEFAULT_CONFIG.host;
  const loopbackOnly = isLoopbackHost(host);
  if (!loopbackOnly && !options.adminToken) {
    throw new Error(
      `[emulator] Refusing to listen on ${host}: it is not a loopback address, so the admin routes need a token; start with --admin-token TOKEN (or EMULATOR_ADMIN_TOKEN), or use --host 127.0.0.1.`,
    );
  }
  let app: Hono<AppEnv> | null = null;
  const server = createAdaptorServer({ fetch: (req, env) => (app ? app.fetch(req, env) : NOT_READY()), hostname: host });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new PortInUseError(host, options.port ?? 0) : err),
    );
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const close = () =>
    new Promise<void>((done) => {
      server.close(() => done());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  let emulator: Emulator;
  try {
    emulator = await build({ ...options, port }, true);
  } catch (err) {
    await close();
    throw err;
  }
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  emulator.deps.origin.url = url;
  emulator.deps.origin.listening = { port, loopbackOnly, addresses: boundAddresses(host) };
  if (!loopbackOnly) {
    emulator.deps.logger.warn(
      { host },
      `Listening on ${host}, beyond loopback: anyone who can reach it can call the API (with the fixture passwords) and, with the admin token, the admin routes; webhooks get real POSTs only at --webhook-target receivers (and public hosts with --live-webhooks).`,
    );
  }
  app = emulator.app;
  setImmediate(() => void loadSynthesizer());
  const stop = async () => {
    await close();
    await emulator.close();
  };
  return { ...emulator, url, server, stop, baseUrl: url };
}
