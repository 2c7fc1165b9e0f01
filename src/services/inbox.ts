import { timingSafeEqual } from "node:crypto";
import type { Namespace, RequestContext } from "../context.js";
import { authHeaders, type OutgoingEnv } from "../delivery/outgoing-auth.js";
import { buildRequest, type Message, type OutgoingRequest } from "../delivery/post.js";
import type { SendResult } from "../delivery/send.js";
import { type Signing, sign } from "../delivery/signer.js";
import { badRequest } from "../errors.js";
import type { InboxEntry, InboxFile } from "../observe/inbox.js";
import { boundaryOf, parseMultipart } from "../observe/multipart.js";
import { redactHeaders, redactUrls } from "../observe/redact-entry.js";
import type { WebhookRecord } from "../schemas/webhooks.js";

export const INBOX_PREFIX = "/_emulator/inbox/";

/** What an outgoing POST is for: the log line, the journal and the inbox say it. */
export interface Purpose {
  purpose: "validation" | "delivery";
  jobId: string;
  attempt: number;
  of: number;
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const lower = (h: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(", ") : (v ?? "")]));

/** The webhook's signature checked over the received bytes, the way a receiver would; null without one. */
function signatureValid(
  w: WebhookRecord | null,
  headers: Record<string, string>,
  body: Buffer,
  payload: Buffer | null,
  signing: Signing,
): boolean | null {
  const sig = w?.signature_verification;
  if (!sig) return null;
  const got = headers[sig.header.toLowerCase()];
  if (got === undefined) return false;
  const bytes = signing.part === "payload" ? payload : body;
  return bytes !== null && same(sign(bytes, sig.secret, signing.scheme), got);
}

/** The auth header checked against the webhook's authentication; null when it has none (or it cannot be known). */
async function authValid(w: WebhookRecord | null, headers: Record<string, string>, env: OutgoingEnv): Promise<boolean | null> {
  const auth = w?.authentication;
  if (!auth) return null;
  if (auth.OAUTH2) return /^Bearer \S+/.test(headers.authorization ?? "") ? null : false;
  const expected = await authHeaders(auth, env);
  return Object.entries(expected).every(([k, v]) => headers[k.toLowerCase()] !== undefined && same(headers[k.toLowerCase()]!, v));
}

/** The headers the inbox shows: credentials and the API key header hidden. */
function shownHeaders(w: WebhookRecord | null, headers: Record<string, string | string[] | undefined>) {
  const secret = [
    ...(w?.additional_headers ?? []).map((h) => h.key),
    ...(w?.authentication?.API_KEY ? [w.authentication.API_KEY.key] : []),
  ];
  return redactHeaders(headers, secret);
}

function jobIdOf(payload: unknown): string | null {
  const id = (payload as { eventId?: unknown } | null)?.eventId;
  return typeof id === "string" ? id : null;
}

function parts(body: Buffer, contentType: string | undefined) {
  const boundary = boundaryOf(contentType);
  const list = boundary ? parseMultipart(body, boundary) : null;
  const payloadPart = list?.find((p) => p.name === "payload") ?? null;
  const filePart = list?.find((p) => p.name === "file") ?? null;
  let payload: unknown = null;
  try {
    payload = payloadPart ? JSON.parse(payloadPart.body.toString("utf8")) : JSON.parse(body.toString("utf8"));
  } catch {
    payload = list ? null : body.toString("utf8").slice(0, 4096);
  }
  const file: InboxFile | null = filePart
    ? { name: filePart.filename ?? "file", content_type: filePart.contentType ?? "application/octet-stream", size: filePart.body.length }
    : null;
  return { payload, payloadBytes: payloadPart?.body ?? null, file, fileBytes: filePart?.body ?? null };
}

const kindOf = (jobId: string | null): InboxEntry["kind"] => (jobId?.startsWith("n.validation-") ? "validation" : "delivery");

/**
 * A POST to the emulator's own receiver, /_emulator/inbox/<name>: the multipart body parsed, the
 * signature and auth header checked against the namespace's webhook that points there.
 */
export async function receive(
  ctx: RequestContext,
  name: string,
  req: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: Buffer },
  env: OutgoingEnv & { signing: Signing },
): Promise<InboxEntry> {
  if (!/^[A-Za-z0-9._~-]{1,128}$/.test(name)) throw badRequest("An inbox name is 1-128 letters, digits, '.', '_', '~' or '-'.");
  const headers = lower(req.headers);
  const got = parts(req.body, headers["content-type"]);
  const path = `${INBOX_PREFIX}${name}`;
  const candidates = ctx.ns.state.webhooks.filter((w) => {
    try {
      return new URL(w.url).pathname.replace(/\/+$/, "") === path;
    } catch {
      return false;
    }
  });
  const checked = await Promise.all(
    candidates.map(async (w) => ({ w, sig: signatureValid(w, headers, req.body, got.payloadBytes, env.signing) })),
  );
  const w = (checked.find((c) => c.sig === true) ?? checked[0])?.w ?? null;
  const jobId = jobIdOf(got.payload);
  const entry = ctx.ns.inbox.add(
    {
      name,
      kind: kindOf(jobId),
      simulated: false,
      answered: 200,
      error: null,
      received_at: ctx.deps.clock.now(),
      received_iso: new Date(ctx.deps.clock.now()).toISOString(),
      method: req.method,
      url: redactUrls(req.url),
      headers: shownHeaders(w, req.headers),
      webhook: w && { id: w.id, name: w.name },
      job_id: jobId,
      signature_valid: signatureValid(w, headers, req.body, got.payloadBytes, env.signing),
      auth_valid: await authValid(w, headers, env),
      payload: got.payload,
      file: got.file,
    },
    got.fileBytes,
  );
  emitInbox(ctx.ns, entry);
  return entry;
}

function emitInbox(ns: Namespace, entry: InboxEntry): void {
  ns.events.emit("inbox", () => entry);
}

/**
 * A POST that did not leave the emulator (a host it does not call, or a scenario saying what the
 * receiver did): what it would have carried goes to the inbox, marked `simulated`. Returns the
 * request as built (for the journal), or null when it could not be built.
 */
export async function recordSimulated(
  ctx: RequestContext,
  w: WebhookRecord,
  message: Message,
  why: Purpose,
  result: SendResult,
  env: OutgoingEnv & { boundary: string; signing: Signing },
): Promise<OutgoingRequest | null> {
  let request: OutgoingRequest | null = null;
  try {
    request = await buildRequest(w, message, env);
  } catch {
    // The auth header could not be had: the inbox still shows the payload.
  }
  // The payload part's bytes matter only to a signature over that part (the body is parsed back for it alone).
  const overPayload = w.signature_verification && env.signing.part === "payload";
  const got = request && overPayload ? parts(request.body, request.headers["content-type"]) : null;
  const headers = request ? lower(request.headers) : {};
  const entry = ctx.ns.inbox.add(
    {
      name: w.name,
      kind: why.purpose,
      simulated: true,
      answered: result.http_status,
      error: result.error,
      received_at: ctx.deps.clock.now(),
      received_iso: new Date(ctx.deps.clock.now()).toISOString(),
      method: "POST",
      url: redactUrls(request?.url ?? w.url),
      headers: request ? shownHeaders(w, request.headers) : {},
      webhook: { id: w.id, name: w.name },
      job_id: why.jobId,
      signature_valid: request ? signatureValid(w, headers, request.body, got?.payloadBytes ?? null, env.signing) : null,
      auth_valid: request ? await authValid(w, headers, env) : null,
      payload: message.payload,
      file: { name: message.file.name, content_type: message.file.contentType, size: message.file.bytes.length },
    },
    message.file.bytes,
  );
  emitInbox(ctx.ns, entry);
  return request;
}
