import type { AuthedContext, Namespace } from "../context.js";
import { badRequest } from "../errors.js";
import { LIMITS } from "../limits.js";
import { REDACTED, redactUserinfo } from "../redact.js";
import type { EventType } from "../schemas/common.js";
import type { CreateWebhookRequest, SearchWebhooksRequest, UpdateWebhookRequest, WebhookRecord } from "../schemas/webhooks.js";
import { normalizeDestination, type StorageDestinationInput } from "../storage/destinations.js";
import type { Tx } from "../store/index.js";
import { mayUseOrg, orgFor, requireOrg } from "./orgs.js";
import { storageIdentity } from "./storage-config.js";

/** The wire shape with every secret replaced by "***" (keys and usernames are kept). */
export function redactWebhook(w: WebhookRecord): WebhookRecord {
  const a = w.authentication;
  return {
    ...w,
    authentication: a && {
      ...(a.API_KEY && { API_KEY: { key: a.API_KEY.key, value: REDACTED } }),
      ...(a.BASIC_AUTH && { BASIC_AUTH: { username: a.BASIC_AUTH.username, password: REDACTED } }),
      ...(a.BEARER_TOKEN !== undefined && { BEARER_TOKEN: REDACTED }),
      ...(a.OAUTH2 && { OAUTH2: { ...a.OAUTH2, client_secret: REDACTED } }),
    },
    signature_verification: w.signature_verification && { ...w.signature_verification, secret: REDACTED },
  };
}

/**
 * What the admin views (GET /_emulator/state) show of a webhook: the API's redaction, and also the
 * values of additional_headers and url_params and any user:password@ in its URLs, which the
 * ThoughtSpot endpoints show as real clusters do (docs/decisions.md, "Webhooks").
 */
export function adminWebhookView(w: WebhookRecord): WebhookRecord {
  const r = redactWebhook(w);
  const oauth = r.authentication?.OAUTH2;
  return {
    ...r,
    url: redactUserinfo(r.url),
    url_params: r.url_params && Object.fromEntries(Object.keys(r.url_params).map((k) => [k, REDACTED])),
    additional_headers: r.additional_headers === null ? null : r.additional_headers.map((h) => ({ ...h, value: REDACTED })),
    authentication: r.authentication && {
      ...r.authentication,
      ...(oauth && { OAUTH2: { ...oauth, authorization_url: redactUserinfo(oauth.authorization_url) } }),
    },
  };
}

/** Finds a webhook of one org by id or name (in the committed records, or those a change sees). */
export function findWebhook(ns: Pick<Namespace, "state">, orgId: string, identifier: string): WebhookRecord | undefined {
  return byIdOrName(
    ns.state.webhooks.filter((w) => w.org.id === orgId),
    identifier,
  );
}

const byIdOrName = (list: WebhookRecord[], identifier: string) =>
  list.find((w) => w.id === identifier) ?? list.find((w) => w.name === identifier);

/**
 * Admin routes (synthesize, deliveries) act on any org: the webhooks of one org or of the whole
 * namespace, narrowed to one by id or name when `identifier` is given. 400 for unknown org or webhook.
 */
export function webhooksFor(ns: Namespace, orgIdentifier?: string, identifier?: string): WebhookRecord[] {
  const org = orgIdentifier === undefined ? undefined : requireOrg(ns, orgIdentifier, "org_identifier does not match a known org.");
  const list = ns.state.webhooks.filter((w) => !org || w.org.id === org.id);
  if (identifier === undefined) return list;
  const hit = byIdOrName(list, identifier);
  if (!hit) throw badRequest("Webhook with the specified channel_identifier was not found.");
  return [hit];
}

function storageDestination(ctx: AuthedContext, tx: Tx, input: StorageDestinationInput) {
  return normalizeDestination(input, { externalId: () => storageIdentity(ctx, tx, ctx.principal.org.id).external_id });
}

function checkUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (parsed?.protocol === "http:" || parsed?.protocol === "https:") return;
  // The text echoes the URL, never a user:password@ in it.
  if (parsed?.username || parsed?.password) {
    parsed.username = REDACTED;
    parsed.password = "";
  }
  throw badRequest(`url must be a valid http or https URL: ${JSON.stringify(parsed ? parsed.href : redactUserinfo(url))}.`);
}

function checkEvents(events: EventType[]): void {
  if (events.length === 0) throw badRequest("At least one event type must be specified in the events field.");
}

/**
 * Names are unique within an org. One LIVEBOARD_SCHEDULE webhook per org is the documented rule
 * and the default; `--webhooks-per-org many` lifts it (docs/decisions.md, "One webhook per org, or many").
 */
function checkConflicts(ctx: AuthedContext, tx: Tx, name: string, events: EventType[], self?: WebhookRecord): void {
  const others = tx.state.webhooks.filter((w) => w.org.id === ctx.principal.org.id && w.id !== self?.id);
  if (others.some((w) => w.name === name)) {
    throw badRequest(`A webhook with the name '${name}' already exists in this org.`);
  }
  if (ctx.deps.config.webhooksPerOrg === "many") return;
  const taken = others.find((w) => w.events.some((e) => events.includes(e)));
  if (taken) {
    throw badRequest(
      `Only one webhook per event type is allowed in an org: webhook '${taken.name}' (${taken.id}) already subscribes to LIVEBOARD_SCHEDULE.`,
    );
  }
}

/** POST /webhooks/create: stores the webhook in the caller's org; answers the redacted record. */
export async function createWebhook(ctx: AuthedContext, input: CreateWebhookRequest) {
  const { ns, principal, deps } = ctx;
  checkEvents(input.events);
  checkUrl(input.url);
  const events = [...new Set(input.events)];
  const record = await deps.store.mutate(ns, (tx) => {
    checkConflicts(ctx, tx, input.name, events);
    const now = deps.clock.now();
    const me = { id: principal.user.id, name: principal.user.name };
    const created: WebhookRecord = {
      id: ns.ids.uuid(),
      name: input.name,
      description: input.description ?? null,
      org: { id: principal.org.id, name: principal.org.name },
      url: input.url,
      url_params: input.url_params ?? null,
      events,
      authentication: input.authentication ?? null,
      signature_verification: input.signature_verification ?? null,
      additional_headers: input.additional_headers ?? null,
      creation_time_in_millis: now,
      modification_time_in_millis: now,
      created_by: me,
      last_modified_by: me,
      storage_destination: input.storage_destination ? storageDestination(ctx, tx, input.storage_destination) : null,
      status: input.status ?? "ENABLED",
    };
    tx.putWebhook(created);
    return created;
  });
  return redactWebhook(record);
}

const RESETS = {
  AUTHENTICATION: "authentication",
  SIGNATURE_VERIFICATION: "signature_verification",
  STORAGE_DESTINATION: "storage_destination",
} as const;

/** POST /webhooks/{webhook_identifier}/update: partial update plus reset_options. */
export async function updateWebhook(ctx: AuthedContext, identifier: string, input: UpdateWebhookRequest): Promise<void> {
  const { ns, principal, deps } = ctx;
  // The path parameter is held to the limit of the body's identifiers (README, "Limits").
  if (identifier.length > LIMITS.identifier) {
    throw badRequest(`Field 'webhook_identifier' can be at most ${LIMITS.identifier} characters long.`);
  }
  if (input.events) checkEvents(input.events);
  if (input.url !== undefined) checkUrl(input.url);
  await deps.store.mutate(ns, (tx) => {
    const w = findWebhook(tx, principal.org.id, identifier);
    if (!w) throw badRequest("Webhook with the specified identifier was not found.");
    const events = input.events ? [...new Set(input.events)] : w.events;
    checkConflicts(ctx, tx, input.name ?? w.name, events, w);
    const next: WebhookRecord = {
      ...w,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.url !== undefined && { url: input.url }),
      ...(input.url_params !== undefined && { url_params: input.url_params }),
      events,
      ...(input.authentication !== undefined && { authentication: input.authentication }),
      ...(input.signature_verification !== undefined && { signature_verification: input.signature_verification }),
      ...(input.additional_headers !== undefined && { additional_headers: input.additional_headers }),
      ...(input.storage_destination && { storage_destination: storageDestination(ctx, tx, input.storage_destination) }),
      ...(input.status !== undefined && { status: input.status }),
      modification_time_in_millis: deps.clock.now(),
      last_modified_by: { id: principal.user.id, name: principal.user.name },
    };
    for (const opt of input.reset_options ?? []) next[RESETS[opt]] = null;
    tx.putWebhook(next);
  });
}

type SortKey = (w: WebhookRecord) => number | string;
const SORT_KEYS: Record<"CREATED" | "MODIFIED" | "NAME", SortKey> = {
  CREATED: (w) => w.creation_time_in_millis,
  MODIFIED: (w) => w.modification_time_in_millis,
  NAME: (w) => w.name.toLowerCase(),
};

/**
 * The webhooks the caller can see: those of every org the caller belongs to, in stored order
 * (docs/decisions.md, "Webhook search scope"). `org_identifier` narrows to one org: an unknown org
 * is a 400, an org the caller is not in has nothing to show.
 */
function visibleWebhooks(ctx: AuthedContext, orgIdentifier: string | undefined): WebhookRecord[] {
  const { ns, principal } = ctx;
  if (orgIdentifier === undefined) return ns.state.webhooks.filter((w) => mayUseOrg(principal.user, w.org));
  const org = orgFor(ns, principal.user, orgIdentifier, "org_identifier does not match a known org.");
  return ns.state.webhooks.filter((w) => w.org.id === org.id);
}

/**
 * POST /webhooks/search: every visible webhook (or one org's), filtered, sorted (CREATED DESC by
 * default) and paged. Ties keep stored (creation) order, reversed for DESC, so a sort and its
 * opposite are mirror images and pages never overlap.
 */
export function searchWebhooks(ctx: AuthedContext, input: SearchWebhooksRequest) {
  const offset = input.record_offset ?? 0;
  const size = input.record_size ?? 50;
  if (size <= 0) throw badRequest("record_size must be a positive integer.");
  if (offset < 0) throw badRequest("record_offset must be zero or a positive integer.");
  let list = visibleWebhooks(ctx, input.org_identifier);
  const ident = input.webhook_identifier;
  if (ident !== undefined) {
    // An id names one webhook; a name may be taken in several orgs.
    const byId = list.filter((w) => w.id === ident);
    list = byId.length ? byId : list.filter((w) => w.name === ident);
  }
  const eventType = input.event_type;
  if (eventType) list = list.filter((w) => w.events.includes(eventType));
  if (input.status) list = list.filter((w) => w.status === input.status);
  const key = SORT_KEYS[input.sort_options?.field_name ?? "CREATED"];
  const dir = (input.sort_options?.order ?? "DESC") === "ASC" ? 1 : -1;
  const sorted = list
    .map((w, i) => ({ w, k: key(w), i }))
    .sort((a, b) => (a.k < b.k ? -dir : a.k > b.k ? dir : (a.i - b.i) * dir))
    .map((e) => e.w);
  const page = sorted.slice(offset, offset + size);
  return {
    webhooks: page.map(redactWebhook),
    pagination: { record_offset: offset, record_size: size, total_count: sorted.length, has_more: offset + page.length < sorted.length },
  };
}

/** POST /webhooks/delete: 200 even with partial failures; unknown ids are echoed as id and name. */
export async function deleteWebhooks(ctx: AuthedContext, identifiers: string[]) {
  const { ns, principal, deps } = ctx;
  if (identifiers.length === 0) throw badRequest("webhook_identifiers must contain at least one identifier.");
  const deleted: WebhookRecord[] = [];
  const failed: { id: string; name: string; error: string }[] = [];
  await deps.store.mutate(ns, (tx) => {
    for (const ident of identifiers) {
      const w = findWebhook(tx, principal.org.id, ident);
      if (!w || deleted.includes(w)) {
        failed.push({ id: ident, name: ident, error: "Webhook not found or access denied" });
        continue;
      }
      deleted.push(w);
    }
    if (deleted.length) tx.deleteWebhooks(deleted.map((w) => w.id));
  });
  return {
    deleted_count: deleted.length,
    failed_count: failed.length,
    deleted_webhooks: deleted.map(redactWebhook),
    failed_webhooks: failed,
  };
}
