import { setTimeout as sleep } from "node:timers/promises";
import type { OutcomeOf } from "../scenarios/schema.js";
import type { WebhookRecord } from "../schemas/webhooks.js";
import { authHeaders, type OutgoingEnv } from "./outgoing-auth.js";
import { buildMultipart, type OutgoingFile } from "./payload.js";
import { httpStatusText, type SendResult, sendToReceiver } from "./send.js";
import { type Signing, sign } from "./signer.js";
import type { Pin } from "./targets.js";
import { splitUserinfo } from "./userinfo.js";

/** The parts of a webhook configuration an outgoing POST uses. */
export type WebhookTarget = Pick<WebhookRecord, "url" | "url_params" | "authentication" | "additional_headers" | "signature_verification">;

export interface Message {
  payload: unknown;
  file: OutgoingFile;
}

/** What a simulated receiver (a host this machine does not call) answers. */
export const SIMULATED_OK: SendResult = { ok: true, http_status: 200, error: null };

const NETWORK_ERRORS: Record<string, (url: URL, timeoutMs: number) => string> = {
  CONNECTION_REFUSED: (u) => `connect ECONNREFUSED ${u.hostname}:${u.port || (u.protocol === "https:" ? 443 : 80)}`,
  TIMEOUT: (_u, t) => `Request timed out after ${t} ms`,
  TLS: () => "TLS handshake failed: certificate has expired",
  DNS: (u) => `getaddrinfo ENOTFOUND ${u.hostname}`,
  RESET: (u) => `socket hang up (connection reset by ${u.hostname})`,
};

/** What a scenario outcome says the receiver did, with the delay it would have taken. */
export async function scriptedResult(forced: OutcomeOf<"validation.http">, url: string, timeoutMs: number): Promise<SendResult> {
  if (forced.delay_ms) await sleep(Math.min(forced.delay_ms, timeoutMs));
  if (forced.network_error) {
    if (forced.network_error === "TIMEOUT" && !forced.delay_ms) await sleep(timeoutMs);
    return { ok: false, http_status: null, error: NETWORK_ERRORS[forced.network_error]!(new URL(url), timeoutMs) };
  }
  const status = forced.http_status ?? 200;
  const ok = status >= 200 && status < 300;
  return { ok, http_status: status, error: ok ? null : httpStatusText(status) };
}

/** An outgoing request as it is (or would be) sent. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The POST a cluster sends to a webhook (docs/decisions.md, "Deliveries"): multipart `payload` +
 * `file`, the webhook's auth header, additional headers, url_params as query string and the HMAC
 * signature of the body or of the payload part (docs/decisions.md, "Signature"). Throws when the
 * auth header cannot be had (an OAuth2 token request failed).
 */
export async function buildRequest(
  target: WebhookTarget,
  message: Message,
  env: OutgoingEnv & { boundary: string; signing: Signing },
): Promise<OutgoingRequest> {
  const { body, payloadBytes, contentType } = buildMultipart(message.payload, message.file, env.boundary);
  const { url: bare, basic } = splitUserinfo(target.url);
  const url = new URL(bare);
  for (const [k, v] of Object.entries(target.url_params ?? {})) url.searchParams.append(k, String(v));
  const headers: Record<string, string> = {
    "content-type": contentType,
    "user-agent": "ThoughtSpot-Webhook/1.0",
    ...(await authHeaders(target.authentication, env)),
  };
  for (const h of target.additional_headers ?? []) headers[h.key] = h.value;
  if (basic && !Object.keys(headers).some((k) => k.toLowerCase() === "authorization")) headers.authorization = basic;
  const sig = target.signature_verification;
  if (sig) headers[sig.header] = sign(env.signing.part === "payload" ? payloadBytes : body, sig.secret, env.signing.scheme);
  return { url: url.toString(), headers, body };
}

/** Sends a built request (see sendToReceiver). */
export function sendRequest(req: OutgoingRequest, env: OutgoingEnv & { pin: Pin | null }): Promise<SendResult> {
  return sendToReceiver(env.fetch, req.url, { headers: req.headers, body: req.body, pin: env.pin }, env.timeoutMs);
}
