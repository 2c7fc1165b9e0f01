import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";
import type { Pin } from "./targets.js";

/**
 * How outgoing calls are made: fetch's signature, plus the address a host name was checked
 * against. An injected fetch (tests) may ignore the pin; the default one connects to it.
 */
export type OutgoingFetch = (url: string, init: RequestInit & { pin?: Pin | null }) => Promise<Response>;

/** Global fetch, except that a pinned call connects to the checked address (no second DNS lookup). */
export const outgoingFetch: OutgoingFetch = (url, init) => {
  const { pin, ...rest } = init;
  return pin ? pinnedFetch(url, rest, pin) : fetch(url, rest);
};

const NULL_BODY = new Set([204, 205, 304]);

/**
 * fetch over node:http(s) whose DNS lookup answers `pin`: TLS still checks the certificate against
 * the URL's host name. Never follows redirects. Failures carry the socket error as `cause`, as
 * fetch's do.
 */
function pinnedFetch(url: string, init: RequestInit, pin: Pin): Promise<Response> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [pin]);
    else callback(null, pin.address, pin.family);
  };
  const body = init.body instanceof URLSearchParams ? init.body.toString() : (init.body as Uint8Array | string | undefined);
  return new Promise<Response>((resolve, reject) => {
    const req = send(
      target,
      {
        method: init.method ?? "GET",
        headers: init.headers as Record<string, string>,
        lookup,
        // A pooled socket was connected for an earlier check: each pinned call gets its own.
        agent: false,
        signal: init.signal ?? undefined,
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
        try {
          if (NULL_BODY.has(status)) {
            res.resume();
            resolve(new Response(null, { status, headers }));
          } else resolve(new Response(Readable.toWeb(res) as ReadableStream, { status, headers }));
        } catch (err) {
          res.destroy();
          reject(Object.assign(new TypeError("fetch failed"), { cause: err }));
        }
      },
    );
    req.on("error", (err) => reject(init.signal?.aborted ? err : Object.assign(new TypeError("fetch failed"), { cause: err })));
    req.end(body);
  });
}

/** A response body as text, or null (and the rest left unread) once it exceeds `limit` bytes. */
export async function readCapped(res: Response, limit: number): Promise<string | null> {
  if (Number(res.headers.get("content-length") ?? 0) > limit) {
    void res.body?.cancel().catch(() => {});
    return null;
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      void reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
