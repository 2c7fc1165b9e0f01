import { setTimeout as sleep } from "node:timers/promises";
import type { Facts } from "../scenarios/engine.js";
import type { RequestContext } from "../services/context.js";
import type { WebhookRecord } from "../types.js";
import { buildMultipart } from "./payload.js";
import { httpStatusText, isLoopback, sendToReceiver, type SendResult } from "./send.js";
import { signBody } from "./signer.js";

const NETWORK_ERRORS: Record<string, (url: URL, timeoutMs: number) => string> = {
  CONNECTION_REFUSED: (u) => `connect ECONNREFUSED ${u.hostname}:${u.port || (u.protocol === "https:" ? 443 : 80)}`,
  TIMEOUT: (_u, t) => `Request timed out after ${t} ms`,
  TLS: () => "TLS handshake failed: certificate has expired",
  DNS: (u) => `getaddrinfo ENOTFOUND ${u.hostname}`,
  RESET: (u) => `socket hang up (connection reset by ${u.hostname})`,
};

export function factsOf(w: WebhookRecord): Facts {
  return {
    webhook_id: w.id,
    webhook_name: w.name,
    org: w.org.id,
    org_name: w.org.name,
    url: w.url,
    storage_type: w.storage_destination?.storage_type,
    event_type: "LIVEBOARD_SCHEDULE",
  };
}

export interface Outgoing {
  payload: unknown;
  file: { name: string; contentType: string; bytes: Buffer };
}

/**
 * One POST to a webhook as a cluster sends it (contract §3): multipart `payload` + `file`, the
 * webhook's auth header, additional headers, url_params as query string and the HMAC signature.
 * What the receiver does comes, in this order, from a scenario outcome at `hook`, from the real
 * receiver (loopback, or any host with --live-webhooks), or is a simulated 200 (offline).
 */
export async function postToWebhook(ctx: RequestContext, w: WebhookRecord, out: Outgoing, hook: "validation.http" | "delivery.attempt"): Promise<SendResult> {
  const { deps } = ctx;
  const timeoutMs = deps.config.validationTimeoutMs;
  const forced = deps.scenarios.outcome(ctx, hook, factsOf(w));
  if (forced) {
    if (forced.delay_ms) await sleep(Math.min(forced.delay_ms, timeoutMs));
    if (forced.network_error) {
      if (forced.network_error === "TIMEOUT" && !forced.delay_ms) await sleep(timeoutMs);
      return { ok: false, http_status: null, error: NETWORK_ERRORS[forced.network_error](new URL(w.url), timeoutMs) };
    }
    const status = forced.http_status ?? 200;
    const ok = status >= 200 && status < 300;
    return { ok, http_status: status, error: ok ? null : httpStatusText(status) };
  }
  if (!deps.config.liveWebhooks && !isLoopback(w.url)) return { ok: true, http_status: 200, error: null };

  const { body, contentType } = buildMultipart(out.payload, out.file, `----ThoughtSpotBoundary${ctx.ns.ids.hex(16)}`);
  const url = new URL(w.url);
  for (const [k, v] of Object.entries(w.url_params ?? {})) url.searchParams.append(k, String(v));
  let headers: Record<string, string>;
  try {
    headers = { "content-type": contentType, "user-agent": "ThoughtSpot-Webhook/1.0", ...(await deps.outgoingAuth.headers(w.authentication)) };
  } catch (err) {
    return { ok: false, http_status: null, error: (err as Error).message };
  }
  for (const h of w.additional_headers ?? []) headers[h.key] = h.value;
  if (w.signature_verification) headers[w.signature_verification.header] = signBody(body, w.signature_verification.secret);
  return sendToReceiver(deps.fetch, url.toString(), { headers, body }, timeoutMs);
}
