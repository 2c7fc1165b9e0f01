/** Loopback webhook receivers (node:http, or raw node:net for misbehaving peers) and reading what they got. */

import { createHmac, timingSafeEqual } from "node:crypto";
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { expect } from "vitest";

export interface Received {
  method: string;
  /** The request target (path and query). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Receiver {
  /** Where to point a webhook: origin + path ("/hook" unless told otherwise). */
  url: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** Requests whose body has been read, in order. */
  requests: Received[];
  /** Requests that arrived (counted when their headers arrive); for a TCP receiver, connections. */
  hits: number;
  /** Times (performance.now) at which a receiver-side connection closed. */
  closed: number[];
  /** Open connections that carried a request. */
  open(): number;
  /** Open connections, including idle ones that never carried a request. */
  openAll(): number;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

export interface ReceiverOptions {
  /** Statuses answered in turn (default: 200s). */
  statuses?: number[];
  /** Shorthand for `statuses: [status]`. */
  status?: number;
  /** The status once `statuses` are used up (default: the last one repeats; 200 when there are none). */
  afterwards?: number;
  /** Read and record requests but never answer them. */
  hang?: boolean;
  /** The path of `url` (default "/hook"). */
  path?: string;
  /** Answers a request once its body has been read, instead of the status answer. */
  respond?: (req: Received, res: ServerResponse) => void;
  /** Takes a request over as soon as its headers arrive (the body is still read and recorded); no other answer is given. */
  onRequest?: (req: IncomingMessage, res: ServerResponse, rx: Receiver) => void;
}

/** Receivers not yet closed. */
const live = new Set<Receiver>();

/** Closes every receiver these helpers started that is still open (for afterEach / afterAll). */
export async function closeReceivers(): Promise<void> {
  await Promise.all([...live].map((r) => r.close()));
}

function newReceiver(): Receiver {
  return { url: "", origin: "", port: 0, requests: [], hits: 0, closed: [], open: () => 0, openAll: () => 0, close: async () => {} };
}

/** Tracks the server's sockets (to see when the emulator lets go, and to close them all), listens on loopback. */
async function listen(server: Server | NetServer, rx: Receiver, used: WeakSet<Socket>, path: string): Promise<Receiver> {
  const sockets = new Set<Socket>();
  rx.open = () => [...sockets].filter((s) => used.has(s)).length;
  rx.openAll = () => sockets.size;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => {
      sockets.delete(s);
      rx.closed.push(performance.now());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  rx.port = (server.address() as { port: number }).port;
  rx.origin = `http://127.0.0.1:${rx.port}`;
  rx.url = `${rx.origin}${path}`;
  rx.close = () =>
    new Promise<void>((resolve) => {
      live.delete(rx);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  live.add(rx);
  return rx;
}

/** A loopback HTTP receiver that records every request and answers the given statuses in turn (or as told). */
export async function startReceiver(opts: ReceiverOptions = {}): Promise<Receiver> {
  const statuses = opts.statuses ?? (opts.status !== undefined ? [opts.status] : []);
  const afterwards = opts.afterwards ?? statuses.at(-1) ?? 200;
  const rx = newReceiver();
  const used = new WeakSet<Socket>();
  const server = createHttpServer((req, res) => {
    rx.hits++;
    used.add(req.socket);
    res.on("error", () => {});
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const got: Received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      rx.requests.push(got);
      if (opts.onRequest || opts.hang) return;
      if (opts.respond) return opts.respond(got, res);
      const status = statuses[rx.requests.length - 1] ?? afterwards;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end("ok");
    });
    opts.onRequest?.(req, res, rx);
  });
  return listen(server, rx, used, opts.path ?? "/hook");
}

/** A raw TCP peer at a loopback port: `onSocket` gets every connection (to stall, trickle, reset...). */
export async function startTcpReceiver(onSocket: (s: Socket, rx: Receiver) => void, path = "/hook"): Promise<Receiver> {
  const rx = newReceiver();
  const used = new WeakSet<Socket>();
  const server = createNetServer((s) => {
    rx.hits++;
    s.once("data", () => used.add(s));
    onSocket(s, rx);
  });
  return listen(server, rx, used, path);
}

export interface Part {
  headers: Record<string, string>;
  name: string;
  filename?: string;
  body: Buffer;
}

/** Splits a multipart/form-data body into its parts (binary safe); fails the test if the body is not closed properly. */
export function parseMultipart(contentType: string, body: Buffer): Part[] {
  const boundary = contentType.match(/boundary=("?)([^";]+)\1/)?.[2];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const text = body.toString("latin1");
  const delimiter = `--${boundary}`;
  expect(text.trimEnd().endsWith(`${delimiter}--`)).toBe(true);
  const chunks = text.split(delimiter).slice(1, -1);
  return chunks.map((chunk) => {
    const c = chunk.replace(/^\r\n/, "").replace(/\r\n$/, "");
    const sep = c.indexOf("\r\n\r\n");
    const headers: Record<string, string> = {};
    for (const line of c.slice(0, sep).split("\r\n")) {
      const i = line.indexOf(":");
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const disposition = headers["content-disposition"] ?? "";
    return {
      headers,
      name: disposition.match(/\bname="([^"]*)"/)?.[1] ?? "",
      filename: disposition.match(/\bfilename="([^"]*)"/)?.[1],
      body: Buffer.from(c.slice(sep + 4), "latin1"),
    };
  });
}

/** The parts of a received multipart request by name: content type and body as UTF-8 text. */
export function partsByName(r: Received): Record<string, { type: string; body: string }> {
  return Object.fromEntries(
    parseMultipart(String(r.headers["content-type"]), r.body).map((p) => [
      p.name,
      { type: p.headers["content-type"], body: p.body.toString("utf8") },
    ]),
  );
}

/**
 * Checks a received signature the way a receiver would: recompute HMAC-SHA256 with the shared
 * secret over the raw body (or the raw bytes of the `payload` part), decode the header by the
 * scheme (lowercase hex, base64, `sha256=<hex>`) and compare in constant time.
 */
export function verifySignature(
  r: Received,
  opts: { header: string; secret: string; scheme: "hex" | "base64" | "sha256=hex"; part: "body" | "payload" },
): boolean {
  const sent = String(r.headers[opts.header.toLowerCase()] ?? "");
  const signed =
    opts.part === "body" ? r.body : parseMultipart(String(r.headers["content-type"]), r.body).find((p) => p.name === "payload")?.body;
  if (!signed) return false;
  const pattern = { hex: /^([0-9a-f]{64})$/, base64: /^([A-Za-z0-9+/]{43}=)$/, "sha256=hex": /^sha256=([0-9a-f]{64})$/ }[opts.scheme];
  const m = pattern.exec(sent);
  if (!m) return false;
  const given = Buffer.from(m[1]!, opts.scheme === "base64" ? "base64" : "hex");
  const expected = createHmac("sha256", opts.secret).update(signed).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
