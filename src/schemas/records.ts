import { z } from "zod";
import type { LiveboardRecord } from "./liveboards.js";
import type { Org } from "./orgs.js";
import { Preferences } from "./preferences.js";
import type { ScheduleRecord, ScheduleRun } from "./schedules.js";
import type { WebhookRecord } from "./webhooks.js";

/** Stored records that are not a request or response of their own: users, tokens, a namespace. */

export const UserRecord = z.object({
  id: z.string().uuid(),
  name: z.string().min(1),
  display_name: z.string(),
  email: z.string(),
  password: z.string(),
  privileges: z.array(z.string()),
  /** Org ids the user belongs to. */
  orgs: z.array(z.string()),
  default_org: z.string(),
  /** Group ids or names (set by just-in-time provisioning). */
  groups: z.array(z.string()).optional(),
});
export type UserRecord = z.infer<typeof UserRecord>;

export interface TokenRecord {
  token: string;
  user_id: string;
  org_id: string;
  creation_time_in_millis: number;
  expiration_time_in_millis: number;
  revoked: boolean;
  kind: "token" | "session";
  /** A session that ends after this long without use (login without remember_me); renewed on use. */
  idle_ms?: number;
  /** An org-scoped token (26.10 Beta): the orgs X-Org-Selector may choose from. */
  org_scope?: "SPECIFIC_ORGS" | "ALL_MEMBER_ORGS";
  org_ids?: string[];
}

/** Everything one namespace persists in state.json (job history lives in the log). */
export interface NamespaceState {
  orgs: Org[];
  users: UserRecord[];
  secret_key: string;
  preferences: Preferences;
  webhooks: WebhookRecord[];
  tokens: TokenRecord[];
  /** Stable per-org AWS account id and external id shown by GET /webhooks/storage-config. */
  storage_identity: Record<string, { aws_account_id: string; external_id: string }>;
  /** Fixture data: what schedules are made for (absent in data dirs written before Liveboards existed). */
  liveboards?: LiveboardRecord[];
  schedules?: ScheduleRecord[];
  /** The newest runs of each schedule, by schedule id. */
  schedule_runs?: Record<string, ScheduleRun[]>;
}

export { Preferences };
