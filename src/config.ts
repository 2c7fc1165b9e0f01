import type { ErrorShape } from "./errors.js";
import type { LogFormat, LogLevel } from "./log.js";

/** docs/decisions.md, "One webhook per org, or many". */
export const WEBHOOKS_PER_ORG = ["one", "many"] as const;
export type WebhooksPerOrg = (typeof WEBHOOKS_PER_ORG)[number];
/** docs/decisions.md, "Signature": how the HMAC-SHA256 is written into the header. */
export const SIGNATURE_SCHEMES = ["hex", "base64", "sha256=hex"] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
/** docs/decisions.md, "Signature": the exact bytes of the request body, or of the `payload` part only. */
export const SIGNATURE_PARTS = ["body", "payload"] as const;
export type SignaturePart = (typeof SIGNATURE_PARTS)[number];
/** docs/decisions.md, "Storage object keys": org before user (the validate example) or user before org (the payload page). */
export const OBJECT_KEY_LAYOUTS = ["org-user", "user-org"] as const;
export type ObjectKeyLayout = (typeof OBJECT_KEY_LAYOUTS)[number];

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
  /**
   * Really POST to hosts beyond this machine (default: loopback only, others simulated); private,
   * link-local and metadata addresses stay refused unless allowPrivateTargets.
   */
  liveWebhooks: boolean;
  /** With liveWebhooks: also POST to private, link-local, metadata and (on a non-loopback host) loopback addresses. */
  allowPrivateTargets: boolean;
  /** "host:port" receivers that always get real POSTs (the only ones once the emulator listens beyond loopback). */
  webhookTargets: string[];
  /** Allowed CORS origins; empty = any localhost origin. Also the origins the admin routes accept. */
  corsOrigins: string[];
  /** Host header names accepted besides localhost, *.localhost, 127.0.0.0/8, [::1] and `host`. */
  allowedHosts: string[];
  /** When set, every /_emulator request but GET /_emulator/health needs X-Emulator-Admin-Token with this value. */
  adminToken?: string;
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
  /** One LIVEBOARD_SCHEDULE webhook per org (the docs) or any number (the spec's examples). */
  webhooksPerOrg: WebhooksPerOrg;
  signatureScheme: SignatureScheme;
  signaturePart: SignaturePart;
  objectKeyLayout: ObjectKeyLayout;
  /** Print one line per request. */
  logRequests: boolean;
  /** Log lines as pretty text (a terminal) or JSON (CI, tools). */
  logFormat: LogFormat;
  logLevel: LogLevel;
  /** Requests kept in each namespace's journal (0 = no journal), and the byte budget all share. */
  journalSize: number;
  journalBytes: number;
  /** Journal /_emulator requests too (not only /api/rest/2.0). */
  journalAdmin: boolean;
  /** Reload scenario files and the fixtures file when they change. */
  watch: boolean;
  /**
   * The ThoughtSpot release emulated, a full tag such as "26.8.0.cl" (one of RELEASES in
   * schemas/releases.ts; the emulator checks it at start).
   */
  release: string;
  /** Where the emulated cluster is hosted: decides GET /webhooks/storage-config's entries. */
  cloud: "aws" | "gcp";
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
  allowPrivateTargets: false,
  webhookTargets: [],
  corsOrigins: [],
  allowedHosts: [],
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
  webhooksPerOrg: "one",
  signatureScheme: "hex",
  signaturePart: "body",
  objectKeyLayout: "org-user",
  logRequests: false,
  logFormat: "json",
  logLevel: "info",
  journalSize: 1000,
  journalBytes: 64 * 1024 * 1024,
  journalAdmin: false,
  watch: false,
  release: "26.8.0.cl",
  cloud: "aws",
};
