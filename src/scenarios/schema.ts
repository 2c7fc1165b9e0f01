import { z } from "zod";
import { fieldPath } from "../errors.js";

/** Domain hook keys services ask at (plus operationIds for transport faults). */
export const HOOKS = ["validation.http", "validation.storage", "token.issue", "token.check", "delivery.attempt"] as const;

export const OutcomeSchema = z
  .object({
    // transport (match.operation): latency, an error in the ThoughtSpot envelope, a dropped connection
    delay_ms: z.number().int().min(0).max(600_000).optional(),
    error: z
      .object({
        status: z.union([z.literal(400), z.literal(401), z.literal(403), z.literal(500), z.literal(503)]),
        message: z.string().optional(),
      })
      .strict()
      .optional(),
    drop: z.boolean().optional(),
    // validation.http / delivery.attempt: what the receiver did
    http_status: z.number().int().min(100).max(599).optional(),
    network_error: z.enum(["CONNECTION_REFUSED", "TIMEOUT", "TLS", "DNS", "RESET"]).optional(),
    // validation.storage: a storage failure (a known kind or a literal error text)
    storage_error: z.string().min(1).optional(),
    // token.issue: shorten the validity of tokens issued; token.check: treat the token as expired
    validity_time_in_sec: z.number().int().min(0).optional(),
    expired: z.boolean().optional(),
  })
  .strict();

export const MatchSchema = z
  .object({
    operation: z.string().min(1).optional(),
    hook: z.enum(HOOKS).optional(),
    webhook: z.string().optional(),
    org: z.string().optional(),
    url: z.string().optional(),
    storage_type: z.enum(["AWS_S3", "GCP_GCS"]).optional(),
    event_type: z.literal("LIVEBOARD_SCHEDULE").optional(),
  })
  .strict()
  .refine((m) => (m.operation === undefined) !== (m.hook === undefined), {
    message: "exactly one of match.operation (an operationId, or * for every operation) or match.hook must be given",
  });

export const RuleSchema = z
  .object({
    match: MatchSchema,
    outcome: OutcomeSchema,
    times: z.number().int().positive().optional(),
    after: z.number().int().min(0).optional(),
    probability: z.number().min(0).max(1).optional(),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "a name of letters, digits, '.', '_' or '-'"),
    description: z.string().optional(),
    rules: z.array(RuleSchema),
  })
  .strict();

export type Outcome = z.infer<typeof OutcomeSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type Scenario = z.infer<typeof ScenarioSchema>;

/** "rules[0].outcome.http_status: expected number" — the JSON path and what was expected. */
export function describeZodError(err: z.ZodError): string {
  const issue = err.issues[0];
  return `${fieldPath(issue.path) || "(root)"}: ${issue.message}`;
}
