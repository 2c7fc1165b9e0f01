import { STATUS_CODES } from "node:http";
import { redactUserinfo } from "../redact.js";
import type { Pin } from "./targets.js";
import type { OutgoingFetch } from "./transport.js";

export type SendResult = { ok: boolean; http_status: number | null; error: string | null };

export function httpStatusText(status: number): string {
  return `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ""}`;
}

/**
 * POSTs to a receiver and reports what a cluster would: any 2xx within the timeout is success.
 * Redirects are not followed, the response body is discarded unread (a 10 MB or trickling body
 * costs nothing), and the whole exchange is abandoned at the timeout.
 */
export async function sendToReceiver(
  doFetch: OutgoingFetch,
  url: string,
  init: { headers: Record<string, string>; body: Buffer; pin: Pin | null },
  timeoutMs: number,
): Promise<SendResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await doFetch(url, {
      method: "POST",
      headers: init.headers,
      body: new Uint8Array(init.body),
      redirect: "manual",
      signal: controller.signal,
      pin: init.pin,
    });
    void res.body?.cancel().catch(() => {});
    const ok = res.status >= 200 && res.status < 300;
    return { ok, http_status: res.status, error: ok ? null : httpStatusText(res.status) };
  } catch (err) {
    if (controller.signal.aborted) return { ok: false, http_status: null, error: `Request timed out after ${timeoutMs} ms` };
    return { ok: false, http_status: null, error: redactUserinfo(describeNetworkError(err, url)) };
  } finally {
    clearTimeout(timer);
  }
}

function describeNetworkError(err: unknown, url: string): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const { hostname, port, protocol } = new URL(url);
  const p = port || (protocol === "https:" ? "443" : "80");
  if (cause?.code === "ECONNREFUSED") return `connect ECONNREFUSED ${hostname}:${p}`;
  if (cause?.code === "ENOTFOUND") return `getaddrinfo ENOTFOUND ${hostname}`;
  if (cause?.code === "ECONNRESET" || cause?.code === "UND_ERR_SOCKET") return `socket hang up (connection reset by ${hostname}:${p})`;
  if (cause?.code?.startsWith("ERR_TLS") || cause?.code?.includes("CERT")) return `TLS handshake failed: ${cause.message}`;
  return cause?.message ?? (err as Error)?.message ?? String(err);
}
