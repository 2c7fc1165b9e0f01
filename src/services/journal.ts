import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Deps, Namespace } from "../context.js";
import { type RawEntry, view } from "../observe/journal.js";

/** Records an entry in the namespace's journal and tells the event stream. */
export function journal(ns: Namespace, entry: RawEntry): RawEntry | null {
  const added = ns.journal.add(entry);
  if (added) ns.events.emit("request", () => view(added));
  return added;
}

const API = "/api/rest/2.0";

/**
 * After a request: its journal entry (API requests, and /_emulator ones with --journal-admin),
 * then the request log line with the entry's id and an error's trace id. Only references are kept
 * here; redaction and serialization happen when the journal is read.
 */
export async function observeRequest(c: Context<AppEnv>, deps: Deps, started: number): Promise<void> {
  const rc = c.get("rc");
  const path = c.req.path;
  const ms = performance.now() - started;
  const status = c.res.status;
  let id: string | null = null;
  if (rc?.ns.journal.enabled && (path.startsWith(API) || (deps.config.journalAdmin && path.startsWith("/_emulator")))) {
    const principal = c.get("principal");
    let response = c.get("result");
    if (response === undefined && !path.startsWith(API)) response = await c.res.clone().text();
    const url = c.req.url;
    const q = url.indexOf("?");
    const entry = journal(rc.ns, {
      seq: 0,
      bytes: 0,
      kind: "incoming",
      time: deps.clock.now(),
      wall: Date.now(),
      method: c.req.method,
      path,
      query: q === -1 ? "" : url.slice(q),
      operation: c.get("operation")?.operationId ?? null,
      principal: principal ? { user: principal.user.name, org: principal.org.id } : null,
      headers: c.env?.incoming?.headers ?? Object.fromEntries(c.req.raw.headers),
      body: c.get("rawBody") ?? null,
      status,
      response: response ?? null,
      duration_ms: ms,
      trace_id: c.get("traceId") ?? null,
      fired: rc.fired,
    });
    if (entry) id = `r-${entry.seq}`;
  }
  if (deps.config.logRequests || status >= 500) {
    const trace = c.get("traceId");
    const fields = {
      req_id: id,
      ns: rc?.ns.name ?? null,
      method: c.req.method,
      path,
      status,
      ms: Math.round(ms * 10) / 10,
      ...(trace && { trace_id: trace }),
    };
    const line = `${c.req.method} ${path} ${status} ${fields.ms}ms${trace ? ` trace_id=${trace}` : ""}`;
    if (status >= 500) deps.logger.error(fields, line);
    else deps.logger.info(fields, line);
  }
}
