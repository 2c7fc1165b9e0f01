import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Hono } from "hono";
import { createApp } from "./app.js";
import type { AppEnv } from "./app-env.js";
import { createClock, type Clock } from "./clock.js";
import { DEFAULT_CONFIG, retentionMs, type EmulatorConfig } from "./config.js";
import { OutgoingAuth } from "./delivery/outgoing-auth.js";
import { isLoopback } from "./delivery/send.js";
import { loadFixtures, type Fixtures } from "./fixtures.js";
import { BUILTIN_SCENARIOS_DIR, loadScenarios } from "./scenarios/loader.js";
import { createScenarioEngine, type ScenarioEngine } from "./scenarios/engine.js";
import { Background } from "./services/background.js";
import { Buckets } from "./services/buckets.js";
import type { Deps } from "./services/context.js";
import { synthesize } from "./services/synthesis.js";
import { moveAside } from "./store/files.js";
import { HISTORY_FILE, openStore, STATE_FILE, type Store } from "./store/index.js";

export interface EmulatorOptions extends Partial<EmulatorConfig> {
  /** Fixtures object (instead of fixturesFile). */
  fixtures?: Fixtures;
  /** Outgoing HTTP (validation test POSTs, OAuth2); defaults to global fetch. */
  fetch?: typeof fetch;
  /** Inject a clock (tests); otherwise one is made from clockStart. */
  clock?: Clock;
  log?: (line: string) => void;
}

export interface Emulator {
  app: Hono<AppEnv>;
  store: Store;
  clock: Clock;
  scenarios: ScenarioEngine;
  config: EmulatorConfig;
  /** Restores one namespace (or all) to the fixtures and the start-up scenarios. */
  reset(namespace?: string): Promise<void>;
  /** Waits for pending writes and closes files. */
  close(): Promise<void>;
  /** Set by startEmulator once listening. */
  baseUrl: string;
}

/**
 * Builds an emulator in-process: config → deps → app. Throws with a clear message when a data file,
 * fixtures file or scenario file is unusable. Does not listen (see startEmulator).
 */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { fixtures: fixturesOpt, fetch: fetchOpt, clock: clockOpt, log: logOpt, ...rest } = options;
  const config: EmulatorConfig = { ...DEFAULT_CONFIG, dataDir: null, ...rest };
  const log = logOpt ?? ((line: string) => console.error(line));
  const clock = clockOpt ?? createClock(config.clockStart, { frozen: config.freezeClock });
  const fixtures = fixturesOpt ?? loadFixtures(config.fixturesFile);
  if (config.resetData && config.dataDir) {
    for (const f of moveAside(config.dataDir, [STATE_FILE, HISTORY_FILE], Date.now())) log(`[emulator] Moved ${f} aside (--reset-data).`);
  }
  const store = await openStore({
    dataDir: config.dataDir,
    fixtures,
    seed: config.seed,
    clock,
    retentionMs: retentionMs(config),
    fsync: config.fsync,
  });
  const scenarios = createScenarioEngine(loadScenarios([BUILTIN_SCENARIOS_DIR, config.scenariosDir]), config.scenarios);
  const doFetch = fetchOpt ?? fetch;
  const emulator: Emulator = {} as Emulator;
  const deps: Deps = {
    config,
    store,
    clock,
    fetch: doFetch,
    scenarios,
    buckets: new Buckets(config.dataDir ? join(config.dataDir, "buckets") : null),
    outgoingAuth: new OutgoingAuth({
      fetch: doFetch,
      now: () => clock.now(),
      reachable: (url) => config.liveWebhooks || isLoopback(url),
      timeoutMs: config.validationTimeoutMs,
    }),
    baseUrl: () => emulator.baseUrl,
    background: new Background(),
    log,
  };
  Object.assign(emulator, {
    app: createApp(deps),
    store,
    clock,
    scenarios,
    config,
    baseUrl: `http://${config.host}:${config.port}`,
    async reset(namespace?: string) {
      await store.reset(namespace);
      scenarios.reset(namespace);
    },
    async close() {
      await deps.background.close();
      await store.close();
    },
  });
  if (config.history) await synthesizeAtStart(deps, config.history);
  return emulator;
}

async function synthesizeAtStart(deps: Deps, h: { days: number; runsPerDay: number }) {
  for (const name of deps.store.names().length ? deps.store.names() : ["default"]) {
    const ns = deps.store.namespace(name);
    if (ns.state.webhooks.length === 0 || ns.history.size > 0) continue;
    await synthesize({ deps, ns, requestScenarios: [] }, { days: h.days, runs_per_day: h.runsPerDay, failure_rate: 0.05, retry_rate: 0.1 });
  }
}

export interface RunningEmulator extends Emulator {
  url: string;
  server: ServerType;
  /** Stops listening, waits for pending writes, closes files. */
  stop(): Promise<void>;
}

/** Creates an emulator and listens (port 0 = a free port); resolves with its URL. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await createEmulator({ port: 0, ...options });
  const { host } = emulator.config;
  return new Promise((resolve) => {
    const server = serve({ fetch: emulator.app.fetch, hostname: host, port: emulator.config.port }, (info: AddressInfo) => {
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${info.port}`;
      emulator.baseUrl = url;
      resolve(
        Object.assign(emulator, {
          url,
          server,
          stop: async () => {
            await new Promise<void>((done) => {
              server.close(() => done());
              (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            });
            await emulator.close();
          },
        }),
      );
    });
  });
}
