import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { readBytes } from "../api/body.js";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { badRequest } from "../errors.js";
import { view } from "../observe/journal.js";
import { filtered, find } from "../observe/match.js";
import { InboxQuery, OutboxQuery, RequestMatcher, RequestsQuery } from "../schemas/admin.js";
import { receive } from "../services/inbox.js";
import { adminBody, nsOf, query } from "./request.js";

const INBOX_LIMIT = 10 * 1024 * 1024;

/**
 * What the emulator received and sent: the request journal (GET/DELETE /requests, POST
 * /requests/find), the webhook inbox (its receiver POST /inbox/<name>, GET/DELETE /inbox…, the
 * file part) and the live event stream (GET /events).
 */
/**
 * A long poll of a ring (the inbox, the outbox): the messages matching now, or the next one within
 * wait_ms (given up when the caller goes away); the newest `limit` of them, newest first.
 */
async function longPoll<T>(c: Parameters<typeof nsOf>[0], q: { limit: number }, wait: (signal?: AbortSignal) => Promise<T[]>) {
  const messages = await wait(c.req.raw.signal);
  return c.json({ namespace: nsOf(c).name, total: messages.length, messages: messages.slice(-q.limit).reverse() });
}

export function observeRoutes(deps: Deps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  const entries = (c: Parameters<typeof nsOf>[0]) => nsOf(c).journal.all().map(view).reverse();

  r.get("/requests", (c) => {
    const q = query(RequestsQuery, c.req.query());
    const ns = nsOf(c);
    const list = filtered(q, entries(c));
    return c.json({ namespace: ns.name, enabled: ns.journal.enabled, total: list.length, requests: list.slice(0, q.limit) });
  });
  r.delete("/requests", (c) => c.json({ cleared: nsOf(c).journal.clear() }));
  r.post("/requests/find", async (c) => {
    const m = await adminBody(c, deps, RequestMatcher);
    const since = m.since === undefined ? undefined : typeof m.since === "number" ? m.since : Date.parse(m.since);
    const list = entries(c).filter((e) => since === undefined || e.time >= since);
    return c.json({ namespace: nsOf(c).name, ...find(m, list) });
  });

  // The receiver: webhooks pointing at http://127.0.0.1:<port>/_emulator/inbox/<name>.
  r.post("/inbox/:name", async (c) => {
    const body = await readBytes(c, INBOX_LIMIT);
    const rc = c.get("rc");
    const entry = await receive(
      rc,
      c.req.param("name"),
      { method: "POST", url: c.req.url, headers: c.env?.incoming?.headers ?? Object.fromEntries(c.req.raw.headers), body },
      {
        fetch: deps.fetch,
        now: () => deps.clock.now(),
        route: () => Promise.resolve({ kind: "simulated" as const }),
        timeoutMs: deps.config.validationTimeoutMs,
        oauth: rc.ns.oauth,
        signing: { scheme: deps.config.signatureScheme, part: deps.config.signaturePart },
      },
    );
    return c.json({ received: entry.id });
  });

  const inbox = (c: Parameters<typeof nsOf>[0], name: string | undefined) => {
    const q = query(InboxQuery, c.req.query());
    return longPoll(c, q, (signal) => nsOf(c).inbox.wait({ name: name ?? q.webhook, after: q.after }, q.wait_ms, signal));
  };
  r.get("/inbox", (c) => inbox(c, undefined));
  r.get("/inbox/:name", (c) => inbox(c, c.req.param("name")));
  r.get("/inbox/:name/:id/file", (c) => {
    const m = nsOf(c).inbox.get(c.req.param("id"));
    if (!m?.bytes || !m.entry.file) throw badRequest(`Inbox message ${c.req.param("id")} has no file part (or is gone).`);
    return c.body(new Uint8Array(m.bytes), 200, {
      "content-type": m.entry.file.content_type,
      "content-disposition": `attachment; filename="${m.entry.file.name.replace(/["\\\r\n]/g, "_")}"`,
    });
  });
  r.delete("/inbox", (c) => c.json({ cleared: nsOf(c).inbox.clear() }));
  r.delete("/inbox/:name", (c) => c.json({ cleared: nsOf(c).inbox.clear(c.req.param("name")) }));

  // The e-mails schedule runs sent through the EMAIL channel (captured, never sent).
  r.get("/outbox", (c) => {
    const q = query(OutboxQuery, c.req.query());
    return longPoll(c, q, (signal) => nsOf(c).outbox.wait({ schedule: q.schedule, after: q.after }, q.wait_ms, signal));
  });
  r.delete("/outbox", (c) => c.json({ cleared: nsOf(c).outbox.clear() }));

  // Server-sent events of the namespace: request, job, inbox, outbox, schedule, scenario, clock, reset.
  r.get("/events", (c) => {
    const name = nsOf(c).name;
    return streamSSE(c, async (stream) => {
      const queue: string[] = [];
      let wake: (() => void) | null = null;
      const off = deps.events.of(name).subscribe((e) => {
        queue.push(`${e.type}\u0000${JSON.stringify(e)}`);
        if (queue.length > 10_000) queue.shift();
        wake?.();
      });
      stream.onAbort(off);
      await stream.writeSSE({ event: "hello", data: JSON.stringify({ namespace: name, time: deps.clock.now() }) });
      while (!stream.aborted && !stream.closed) {
        const item = queue.shift();
        if (item === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 15_000); // a keep-alive comment at least every 15 s
          });
          wake = null;
          if (queue.length === 0) await stream.write(": keep-alive\n\n");
          continue;
        }
        const at = item.indexOf("\u0000");
        await stream.writeSSE({ event: item.slice(0, at), data: item.slice(at + 1) });
      }
      off();
    });
  });
  return r;
}
