import { z } from "zod";
import type { Org } from "./orgs.js";
import { Preferences } from "./preferences.js";
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
}

export { Preferences };
