import type { ErrorShape } from "./errors.js";

/** Every option of the emulator with its default; the CLI maps flags/env onto this. */
export interface EmulatorConfig {
  port: number;
  host: string;
  /** null = --in-memory (nothing written to disk). */
  dataDir: string | null;
  errorShape: ErrorShape;
  /** Default token validity when token/full gives no validity_time_in_sec. */
  tokenTtlSec: number;
  retentionDays: number;
  seed?: number;
  /** Start time of the emulator clock (epoch ms); undefined = real time. */
  clockStart?: number;
  /** Start with the clock frozen (it moves only through POST /_emulator/clock). */
  freezeClock: boolean;
  /** Scenario names active at start (in every namespace). */
  scenarios: string[];
  /** Folder with scenario files (built-in ones ship in ./scenarios). */
  scenariosDir: string;
  /** Synthesize history for every webhook at start: days and runs per day. */
  history?: { days: number; runsPerDay: number };
  /** Send validation requests to any host (default: loopback only, others simulated). */
  liveWebhooks: boolean;
  /** Allowed CORS origins; empty = any localhost origin. */
  corsOrigins: string[];
  fixturesFile?: string;
  /** fsync before acknowledging writes (default). --no-fsync trades power-loss safety for speed. */
  fsync: boolean;
  /** Move an unusable state or history aside instead of refusing to start. */
  resetData: boolean;
  /** Keep every readable line of a log that has unreadable ones (they are set aside). */
  repair: boolean;
  /** Let compaction drop history older than the retention period (it never does otherwise). */
  compactExpired: boolean;
  /** How many namespaces may exist at once (each new X-Emulator-Namespace value makes one). */
  maxNamespaces: number;
  /** How many history jobs one namespace may hold (synthesized, validations, deliveries). */
  maxJobs: number;
  validationTimeoutMs: number;
  /** Delivery tries in all (docs/decisions.md, "Deliveries": 3), and the waits between them. */
  deliveryAttempts: number;
  deliveryBackoffMs: number[];
  bodyLimitBytes: number;
  /** Print one line per request. */
  logRequests: boolean;
}

/** The history retention period in milliseconds. */
export const retentionMs = (config: Pick<EmulatorConfig, "retentionDays">): number => config.retentionDays * 86_400_000;

export const DEFAULT_CONFIG: EmulatorConfig = {
  port: 4010,
  host: "127.0.0.1",
  dataDir: "./.emulator-data",
  errorShape: "live",
  tokenTtlSec: 300,
  retentionDays: 3,
  freezeClock: false,
  scenarios: [],
  scenariosDir: "",
  liveWebhooks: false,
  corsOrigins: [],
  resetData: false,
  repair: false,
  compactExpired: false,
  maxNamespaces: 1000,
  maxJobs: 2_000_000,
  fsync: true,
  validationTimeoutMs: 5000,
  deliveryAttempts: 3,
  deliveryBackoffMs: [1000, 2000],
  bodyLimitBytes: 1024 * 1024,
  logRequests: false,
};
