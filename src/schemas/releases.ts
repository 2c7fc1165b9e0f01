import type { OperationId } from "./operations.js";

/**
 * Release emulation (docs/decisions.md, "Releases"): which ThoughtSpot release brought each
 * endpoint, request field and response field, as the spec's "Version: X or later" tags say. The
 * endpoint table mounts only the endpoints of the chosen release; request fields of a later
 * release are dropped before validation (ignored like any unknown field); response fields of a
 * later release are left out of the answer.
 */

/** The releases `--release` can emulate. */
export const RELEASES = ["10.14.0.cl", "26.4.0.cl", "26.7.0.cl", "26.8.0.cl", "26.10.0.cl"] as const;
export type Release = (typeof RELEASES)[number];
export const DEFAULT_RELEASE: Release = "26.8.0.cl";

/** A spec version tag ("26.3.0.cl"): not every tag is an emulated release. */
export type VersionTag = `${number}.${number}.${number}.cl`;

/** "26.8", "26.8.0" or "26.8.0.cl" → the release; undefined when it is not one of RELEASES. */
export function parseRelease(text: string): Release | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:\.cl)?$/.exec(text.trim());
  if (!m) return undefined;
  const tag = `${Number(m[1])}.${Number(m[2])}.${Number(m[3] ?? 0)}.cl`;
  return RELEASES.find((r) => r === tag);
}

const parts = (tag: string) => tag.split(".").slice(0, 3).map(Number);

/** Whether `release` has what arrived in `tag`. */
export function atLeast(release: string, tag: VersionTag): boolean {
  const [a, b] = [parts(release), parts(tag)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

/** The release each endpoint arrived in. */
export const ENDPOINT_SINCE: Record<OperationId, VersionTag> = {
  getFullAccessToken: "9.0.0.cl",
  revokeToken: "9.0.0.cl",
  login: "9.0.0.cl",
  logout: "9.0.0.cl",
  getCurrentUserInfo: "9.0.0.cl",
  searchOrgs: "9.0.0.cl",
  getSystemInformation: "9.0.0.cl",
  getCurrentUserToken: "9.4.0.cl",
  createSchedule: "9.4.0.cl",
  searchSchedules: "9.4.0.cl",
  updateSchedule: "9.4.0.cl",
  deleteSchedule: "9.4.0.cl",
  validateToken: "9.12.0.cl",
  configureCommunicationChannelPreferences: "10.14.0.cl",
  searchCommunicationChannelPreferences: "10.14.0.cl",
  createWebhookConfiguration: "10.14.0.cl",
  searchWebhookConfigurations: "10.14.0.cl",
  updateWebhookConfiguration: "10.14.0.cl",
  deleteWebhookConfigurations: "10.14.0.cl",
  validateCommunicationChannel: "26.4.0.cl",
  searchChannelHistory: "26.4.0.cl",
  getWebhookStorageConfig: "26.7.0.cl",
};

/** Behaviour that is not a field: the 26.10 Beta org-scoped tokens and their X-Org-Selector header. */
export const FEATURES = { orgScopedTokens: "26.10.0.cl" } as const satisfies Record<string, VersionTag>;

/** Field paths (`a.b`, `list[].c`) with the release each arrived in. */
type Fields = Record<string, VersionTag>;

const WEBHOOK_INPUT: Fields = {
  storage_destination: "26.3.0.cl",
  "storage_destination.storage_config.gcp_gcs_config": "26.7.0.cl",
  additional_headers: "26.4.0.cl",
  status: "26.7.0.cl",
};
const WEBHOOK_OUTPUT = WEBHOOK_INPUT;
const TOKEN_SCOPE_OUTPUT: Fields = { "scope.org_scope": "26.10.0.cl", "scope.org_ids": "26.10.0.cl" };

const under = (prefix: string, fields: Fields): Fields =>
  Object.fromEntries(Object.entries(fields).map(([path, tag]) => [`${prefix}.${path}`, tag]));

/** Request fields newer than their endpoint. */
export const REQUEST_FIELDS: Partial<Record<OperationId, Fields>> = {
  createWebhookConfiguration: WEBHOOK_INPUT,
  updateWebhookConfiguration: { ...WEBHOOK_INPUT, reset_options: "26.7.0.cl" },
  searchWebhookConfigurations: { status: "26.7.0.cl" },
  searchChannelHistory: { end_epoch_time_in_millis: "26.7.0.cl" },
  getFullAccessToken: { scope: "26.10.0.cl" },
};

/** Response fields newer than their endpoint. */
export const RESPONSE_FIELDS: Partial<Record<OperationId, Fields>> = {
  createWebhookConfiguration: WEBHOOK_OUTPUT,
  searchWebhookConfigurations: under("webhooks[]", WEBHOOK_OUTPUT),
  deleteWebhookConfigurations: under("deleted_webhooks[]", WEBHOOK_OUTPUT),
  validateCommunicationChannel: { "details[].gcp_gcs_info": "26.7.0.cl" },
  getFullAccessToken: TOKEN_SCOPE_OUTPUT,
  validateToken: TOKEN_SCOPE_OUTPUT,
};

/** The paths of `fields` that `release` does not have yet. */
export function unreleased(fields: Fields | undefined, release: string): string[] {
  return Object.entries(fields ?? {})
    .filter(([, tag]) => !atLeast(release, tag))
    .map(([path]) => path);
}

/** `value` without the given paths; what it shares with `value` is not changed (records stay intact). */
export function withoutPaths<T>(value: T, paths: readonly string[]): T {
  let out: unknown = value;
  for (const path of paths) out = drop(out, path.split("."));
  return out as T;
}

function drop(value: unknown, segments: string[]): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const [head, ...rest] = segments as [string, ...string[]];
  const each = head.endsWith("[]");
  const key = each ? head.slice(0, -2) : head;
  const obj = value as Record<string, unknown>;
  if (!Object.hasOwn(obj, key)) return value;
  if (!each && rest.length === 0) {
    const { [key]: _gone, ...others } = obj;
    return others;
  }
  const child = obj[key];
  const next = each ? (Array.isArray(child) ? child.map((c) => drop(c, rest)) : child) : drop(child, rest);
  return { ...obj, [key]: next };
}
