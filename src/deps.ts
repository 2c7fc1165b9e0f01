import { lookup as dnsLookup } from "node:dns/promises";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Background } from "./background.js";
import { type Clock, createClock } from "./clock.js";
import { type EmulatorConfig, retentionMs } from "./config.js";
import type { Deps, NamespaceParts } from "./context.js";
import { OAuthTokens } from "./delivery/outgoing-auth.js";
import type { Lookup } from "./delivery/targets.js";
import { type OutgoingFetch, outgoingFetch } from "./delivery/transport.js";
import { type Fixtures, loadFixtures } from "./fixtures.js";
import { createLogger, type Logger, lineLogger } from "./log.js";
import { EventHub } from "./observe/events.js";
import { Inbox } from "./observe/inbox.js";
import { Journal, JournalBudget } from "./observe/journal.js";
import { Outbox } from "./observe/outbox.js";
import { createScenarioEngine } from "./scenarios/engine.js";
import { BUILTIN_SCENARIOS_DIR, loadScenarios } from "./scenarios/loader.js";
import { startSchedules } from "./services/scheduler.js";
import { BucketSpace, bucketDir } from "./storage/buckets.js";
import { openStore } from "./store/index.js";
import { NamespaceRegistry, type Parts } from "./store/registry.js";

/** What a caller (the CLI, a test) may put in place of the defaults. */
export interface DepsOverrides {
  fixtures?: Fixtures | undefined;
  fetch?: OutgoingFetch | undefined;
  /** DNS for outgoing calls (default: every address dns.lookup gives). */
  lookup?: Lookup | undefined;
  clock?: Clock | undefined;
  /** Where log lines go: a logger, or a plain line sink (tests); default: config's format on stderr. */
  logger?: Logger | undefined;
  log?: ((line: string) => void) | undefined;
  /** The emulator already listens on config.port (named in the data dir's lock). */
  listening?: boolean;
}

/**
 * The composition root: config and overrides → clock, store, scenarios and the namespace
 * registry with every part a namespace holds. Throws with a clear message when a data file,
 * fixtures file or scenario file is unusable.
 */
export async function createDeps(config: EmulatorConfig, overrides: DepsOverrides = {}): Promise<Deps> {
  const logger =
    overrides.logger ??
    (overrides.log
      ? lineLogger(overrides.log, config.logLevel)
      : createLogger({ format: config.logFormat, level: config.logLevel, color: process.stderr.isTTY === true }));
  const log = (line: string) => logger.warn({}, line.replace(/^\[emulator\] /, ""));
  const clock = overrides.clock ?? createClock(config.clockStart, { frozen: config.freezeClock });
  const fixtures = overrides.fixtures ?? loadFixtures(config.fixturesFile);
  const scenarios = createScenarioEngine(loadScenarios([BUILTIN_SCENARIOS_DIR, config.scenariosDir]), config.scenarios);
  const store = await openStore({
    dataDir: config.dataDir,
    fixtures,
    seed: config.seed,
    clock,
    retentionMs: retentionMs(config),
    fsync: config.fsync,
    repair: config.repair,
    resetData: config.resetData,
    compactExpired: config.compactExpired,
    maxNamespaces: config.maxNamespaces,
    owner: overrides.listening ? { port: config.port, host: config.host } : { port: null, host: null },
    log,
  });
  const background = Background.root();
  const journalBudget = new JournalBudget(config.journalBytes);
  const events = new EventHub(() => clock.now());
  // The order is the order of reset: background work is stopped before anything else goes.
  const parts: Parts<NamespaceParts> = {
    work: { create: () => background.child(), drop: (_name, work) => work?.close() },
    buckets: {
      create: (ns) => new BucketSpace(bucketDir(config.dataDir, ns.name)),
      drop: (name, space) => (space ?? new BucketSpace(bucketDir(config.dataDir, name))).drop(),
      names: () => bucketNamespaces(config.dataDir),
    },
    scenarios: { create: () => scenarios.initialState() },
    oauth: { create: () => new OAuthTokens() },
    journal: { create: () => new Journal(config.journalSize, journalBudget), drop: (_name, journal) => journal?.release() },
    inbox: { create: () => new Inbox(), drop: (_name, inbox) => inbox?.close() },
    outbox: { create: () => new Outbox(), drop: (_name, outbox) => outbox?.close() },
    events: { create: (ns) => events.of(ns.name) },
  };
  // Namespaces whose schedules were on disk at start-up: their first pass follows the missed-run rule.
  const missed = new Set(store.withSchedules());
  const deps: Deps = {
    config,
    store,
    namespaces: new NamespaceRegistry(store, parts, (ns) =>
      startSchedules({ deps, ns, requestScenarios: [], fired: [] }, { missed: missed.delete(ns.name) }),
    ),
    clock,
    fetch: overrides.fetch ?? outgoingFetch,
    lookup: overrides.lookup ?? ((host) => dnsLookup(host, { all: true, verbatim: true })),
    scenarios,
    background,
    origin: { url: `http://${config.host}:${config.port}`, listening: null },
    logger,
    events,
  };
  return deps;
}

/** Namespaces with a bucket folder on disk. */
function bucketNamespaces(dataDir: string | null): string[] {
  if (!dataDir) return [];
  try {
    return readdirSync(join(dataDir, "buckets"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}
