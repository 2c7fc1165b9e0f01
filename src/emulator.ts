import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { Hono } from "hono";
import { createApp } from "./app.js";
import type { AppEnv } from "./app-env.js";
import type { Clock } from "./clock.js";
import { DEFAULT_CONFIG, type EmulatorConfig } from "./config.js";
import type { Deps } from "./context.js";
import { createDeps, type DepsOverrides } from "./deps.js";
import type { Fixtures } from "./fixtures.js";
import type { ScenarioEngine } from "./scenarios/engine.js";
import { synthesize } from "./services/synthesis.js";
import { moveAside } from "./store/files.js";
import { HISTORY_FILE, STATE_FILE, type Store } from "./store/index.js";

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
  deps: Deps;
  /** Restores one namespace (or all) to the fixtures and the start-up scenarios. */
  reset(namespace?: string): Promise<void>;
  /** Stops background work, waits for pending writes and closes files. */
  close(): Promise<void>;
  /** The URL the emulator is reachable at (set by startEmulator once listening). */
  readonly baseUrl: string;
}

/**
 * Builds an emulator in-process: config → deps → app. Throws with a clear message when a data file,
 * fixtures file or scenario file is unusable. Does not listen (see startEmulator).
 */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { fixtures, fetch, clock, log, ...rest } = options;
  const config: EmulatorConfig = { ...DEFAULT_CONFIG, dataDir: null, ...rest };
  const overrides: DepsOverrides = { fixtures, fetch, clock, log };
  if (config.resetData && config.dataDir) {
    for (const f of moveAside(config.dataDir, [STATE_FILE, HISTORY_FILE], Date.now())) {
      (log ?? console.error)(`[emulator] Moved ${f} aside (--reset-data).`);
    }
  }
  const deps = await createDeps(config, overrides);
  if (config.history) await synthesizeAtStart(deps, config.history);
  return {
    app: createApp(deps),
    store: deps.store,
    clock: deps.clock,
    scenarios: deps.scenarios,
    config,
    deps,
    async reset(namespace?: string) {
      await deps.namespaces.reset(namespace);
    },
    async close() {
      await deps.background.close();
      await deps.store.close();
    },
    get baseUrl() {
      return deps.origin.url;
    },
  };
}

async function synthesizeAtStart(deps: Deps, h: { days: number; runsPerDay: number }) {
  const names = deps.store.names();
  for (const name of names.length ? names : ["default"]) {
    const ns = deps.namespaces.get(name);
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
      emulator.deps.origin.url = url;
      const stop = async () => {
        await new Promise<void>((done) => {
          server.close(() => done());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await emulator.close();
      };
      resolve({ ...emulator, url, server, stop, baseUrl: url });
    });
  });
}
