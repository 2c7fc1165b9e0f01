import { z } from "zod";
import { fieldPath } from "../errors.js";
import { EventType } from "../schemas/common.js";
import { OPERATION_IDS } from "../schemas/operations.js";
import { STORAGE_TYPES } from "../storage/destinations.js";

/**
 * Scenario files: an ordered list of rules. A rule matches either an operation (transport faults,
 * before body validation) or one of the domain hooks below, and its outcome must be one that hook
 * understands: a misfit is rejected at load with the JSON path, what was expected and the valid values.
 */

const ErrorOutcome = z
  .object({
    status: z.union([z.literal(400), z.literal(401), z.literal(403), z.literal(500), z.literal(503)]),
    message: z.string().max(2000).optional(),
  })
  .strict();
const DelayMs = z.number().int().min(0).max(600_000);

/** What the receiver did with a validation test POST or a delivery try. */
const ReceiverOutcome = z
  .object({
    http_status: z.number().int().min(100).max(599).optional(),
    network_error: z.enum(["CONNECTION_REFUSED", "TIMEOUT", "TLS", "DNS", "RESET"]).optional(),
    delay_ms: DelayMs.optional(),
  })
  .strict();

/** Each hook with the outcome fields it understands. "transport" is a rule with match.operation. */
export const OUTCOMES = {
  transport: z.object({ delay_ms: DelayMs.optional(), error: ErrorOutcome.optional(), drop: z.boolean().optional() }).strict(),
  "validation.http": ReceiverOutcome,
  "delivery.attempt": ReceiverOutcome,
  // A known kind (ASSUME_ROLE_DENIED, PUT_OBJECT_DENIED, BUCKET_NOT_FOUND, IMPERSONATION_DENIED) or a literal text.
  "validation.storage": z.object({ storage_error: z.string().min(1).max(2000) }).strict(),
  // The upload of a delivery's export: the same kinds, plus STORAGE_SERVICE_FAILED, or a literal text.
  "delivery.storage": z.object({ storage_error: z.string().min(1).max(2000) }).strict(),
  "token.issue": z.object({ validity_time_in_sec: z.number().int().min(0).optional(), error: ErrorOutcome.optional() }).strict(),
  "token.check": z.object({ expired: z.boolean() }).strict(),
} as const;

type Kind = keyof typeof OUTCOMES;
export type Hook = Exclude<Kind, "transport">;
export const HOOKS = Object.keys(OUTCOMES).filter((k): k is Hook => k !== "transport");
export type OutcomeOf<K extends Kind> = z.infer<(typeof OUTCOMES)[K]>;
export type TransportOutcome = OutcomeOf<"transport">;

const FILTERS = {
  webhook: z.string().min(1).max(256),
  org: z.string().min(1).max(256),
  url: z.string().min(1).max(2048),
  storage_type: z.enum(STORAGE_TYPES),
  event_type: EventType,
};
type Filter = keyof typeof FILTERS;
const WEBHOOK_FILTERS: Filter[] = ["webhook", "org", "url", "storage_type", "event_type"];
/** The facts each kind of rule can be filtered by (what is known when it is asked). */
export const FILTERS_OF: Record<Kind, Filter[]> = {
  transport: ["org"],
  "validation.http": WEBHOOK_FILTERS,
  "delivery.attempt": WEBHOOK_FILTERS,
  "validation.storage": WEBHOOK_FILTERS,
  "delivery.storage": WEBHOOK_FILTERS,
  "token.issue": ["org"],
  "token.check": ["org"],
};

const filtersOf = (kind: Kind) => Object.fromEntries(FILTERS_OF[kind].map((f) => [f, FILTERS[f].optional()]));
const counting = {
  times: z.number().int().positive().optional(),
  after: z.number().int().min(0).optional(),
  probability: z.number().min(0).max(1).optional(),
};
const OPERATIONS = ["*", ...OPERATION_IDS] as const;

function variant(kind: Kind) {
  const key = kind === "transport" ? { operation: z.enum(OPERATIONS) } : { hook: z.literal(kind) };
  const match = z.object({ ...key, ...filtersOf(kind) }).strict();
  return z.object({ match, outcome: OUTCOMES[kind], ...counting }).strict();
}

/** One rule schema per kind; `RuleSchema` (their union) is what JSON Schema output describes. */
export const RULE_VARIANTS: Record<Kind, z.ZodType> = {
  transport: variant("transport"),
  "validation.http": variant("validation.http"),
  "delivery.attempt": variant("delivery.attempt"),
  "validation.storage": variant("validation.storage"),
  "delivery.storage": variant("delivery.storage"),
  "token.issue": variant("token.issue"),
  "token.check": variant("token.check"),
};
export const RuleSchema = z.union(Object.values(RULE_VARIANTS));

interface RawRule {
  match: { operation?: string; hook?: Hook } & Partial<Record<Filter, string>>;
  outcome: Record<string, unknown>;
  times?: number;
  after?: number;
  probability?: number;
}

/** A checked rule: its kind, typed filters, a compiled URL glob and the outcome its kind understands. */
export interface Rule extends RawRule {
  kind: Kind;
  urlGlob?: Glob;
}

export const ScenarioHead = z
  .object({
    $schema: z.string().optional(),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a name of letters, digits, '.', '_' or '-' (at most 64)"),
    description: z.string().max(2000).optional(),
    rules: z.array(z.unknown()).max(1000),
  })
  .strict();

export interface Scenario {
  name: string;
  description?: string;
  rules: Rule[];
}

/** A problem at a JSON path: what was wrong, what was expected. */
export class ScenarioError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || "(root)"}: ${problem}`);
    this.name = "ScenarioError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(", ");

function firstIssue(err: z.ZodError, prefix: (string | number)[], kind?: Kind): ScenarioError {
  // A field the rule's kind does not know says more than the fields it then lacks.
  const issue = err.issues.find((i) => i.code === "unrecognized_keys") ?? err.issues[0]!;
  const path = [...prefix, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    const where = issue.path.at(-1);
    const key = issue.keys[0]!;
    if (kind && where === "match") {
      return new ScenarioError(fieldPath([...path, key]), `not a filter of ${kindLabel(kind)} (its filters: ${list(FILTERS_OF[kind])})`);
    }
    if (kind && where === "outcome") {
      const fields = Object.keys(OUTCOMES[kind].shape);
      return new ScenarioError(fieldPath([...path, key]), `not an outcome of ${kindLabel(kind)} (it understands: ${list(fields)})`);
    }
    return new ScenarioError(fieldPath([...path, key]), "unknown field");
  }
  return new ScenarioError(fieldPath(path), issue.message);
}

const kindLabel = (kind: Kind) => (kind === "transport" ? "an operation rule" : `hook ${kind}`);

/** Checks one rule: its kind from match.operation / match.hook, then that kind's shape. */
export function parseRule(raw: unknown, at: (string | number)[]): Rule {
  if (!isObject(raw) || !isObject(raw.match)) {
    const shape = z.object({ match: z.object({}).passthrough(), outcome: z.object({}).passthrough() }).safeParse(raw);
    throw firstIssue(shape.error ?? new z.ZodError([]), at);
  }
  const m = raw.match;
  if ("operation" in m === "hook" in m) {
    throw new ScenarioError(
      fieldPath([...at, "match"]),
      'exactly one of match.operation (an operationId, or "*") or match.hook must be given',
    );
  }
  let kind: Kind = "transport";
  if ("hook" in m) {
    if (!HOOKS.includes(m.hook as Hook)) {
      throw new ScenarioError(
        fieldPath([...at, "match", "hook"]),
        `unknown hook ${JSON.stringify(m.hook)}; expected one of: ${list(HOOKS)}`,
      );
    }
    kind = m.hook as Hook;
  } else if (!(OPERATIONS as readonly unknown[]).includes(m.operation)) {
    throw new ScenarioError(
      fieldPath([...at, "match", "operation"]),
      `unknown operation ${JSON.stringify(m.operation)}; expected "*" or one of: ${list(OPERATION_IDS)}`,
    );
  }
  const parsed = RULE_VARIANTS[kind].safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error, at, kind);
  const rule: Rule = { ...(parsed.data as RawRule), kind };
  if (rule.match.url !== undefined) rule.urlGlob = compileGlob(rule.match.url);
  return rule;
}

/** Checks a whole scenario (a file, or inline rules sent to the admin API). */
export function parseScenario(raw: unknown, defaults: { name?: string } = {}): Scenario {
  const withName = isObject(raw) && raw.name === undefined && defaults.name ? { ...raw, name: defaults.name } : raw;
  const head = ScenarioHead.safeParse(withName);
  if (!head.success) throw firstIssue(head.error, []);
  const rules = head.data.rules.map((r, i) => parseRule(r, ["rules", i]));
  return { name: head.data.name, ...(head.data.description !== undefined && { description: head.data.description }), rules };
}

/** A `*` glob compiled once: literal parts matched in order, in time linear in the value. */
export interface Glob {
  test(value: string): boolean;
}

export function compileGlob(pattern: string): Glob {
  const parts = pattern.split("*");
  if (parts.length === 1) return { test: (v) => v === pattern };
  const first = parts[0]!;
  const last = parts.at(-1)!;
  const middle = parts.slice(1, -1).filter((p) => p !== "");
  return {
    test(v) {
      if (v.length < first.length + last.length || !v.startsWith(first) || !v.endsWith(last)) return false;
      let pos = first.length;
      const end = v.length - last.length;
      for (const p of middle) {
        const at = v.indexOf(p, pos);
        if (at === -1 || at + p.length > end) return false;
        pos = at + p.length;
      }
      return true;
    },
  };
}

/** A whole scenario file's shape (its head with the rule union), for JSON Schema output. */
export const ScenarioFileSchema = ScenarioHead.extend({ rules: z.array(RuleSchema).max(1000) });
