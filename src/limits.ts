import { z } from "zod";

/**
 * Length and count limits of request fields, in one place (the README's "Limits" lists them; why
 * these values: docs/decisions.md, "Limits"). Values a cluster plausibly enforces, and low enough
 * that no request costs much: nothing user-given is ever longer than these when it reaches a service.
 */
export const LIMITS = {
  /** Webhook names, user names, schedule and Liveboard names. */
  name: 255,
  /** Ids or names that look something up (webhook, channel, org, user, job, event identifiers), keys, bucket names, regions. */
  identifier: 255,
  /** `url`, `authorization_url`. */
  url: 2048,
  /** A storage destination's `path_prefix`. */
  pathPrefix: 1024,
  /** Descriptions; secrets, passwords, tokens, header and url_params values, role ARNs. */
  text: 4096,
  /** Entries of `additional_headers`, `url_params`, delivery `recipients`, `webhook_identifiers`. */
  entries: 100,
  /** Orgs or users listed in one request (`org_preferences`, `user_identifiers`). */
  orgs: 1000,
  /** Lists of enum values (`events`, `channels`, `reset_options`, …): a handful exist. */
  enums: 10,
  /** One field of a schedule's `cron_expression`. */
  cronField: 100,
  /** Schedules one namespace may hold. */
  schedules: 10_000,
} as const;

export const Name = z.string().min(1).max(LIMITS.name);
export const Identifier = z.string().max(LIMITS.identifier);
export const Url = z.string().min(1).max(LIMITS.url);
export const Text = z.string().max(LIMITS.text);
export const PathPrefix = z.string().max(LIMITS.pathPrefix);

/** A JSON object used as a map: keys at most `identifier` long, at most `max` entries. */
export function boundedRecord<V extends z.ZodType>(value: V, max: number = LIMITS.entries) {
  return z.record(Identifier, value).superRefine((r, ctx) => {
    if (Object.keys(r).length > max) ctx.addIssue({ code: "too_big", origin: "record", maximum: max, inclusive: true, input: r });
  });
}
