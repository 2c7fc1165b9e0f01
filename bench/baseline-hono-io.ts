/**
 * Same-I/O baseline (a): bare Hono on @hono/node-server that reads the whole request body, parses it,
 * optionally appends it durably (group commit + fdatasync, see same-io.ts) and answers a fixed body of
 * exactly the emulator's size and status for the row. `node bench/.build/baseline-hono-io.js --port N --bytes B --status S [--log F]`.
 */
import type { IncomingMessage } from "node:http";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { sameIoOptions, stop } from "./same-io.js";

const o = sameIoOptions();
const answer = o.body.toString("utf8"); // a string, as the emulator hands its JSON text to c.body
type Env = { Bindings: { incoming?: IncomingMessage } };

/** Read as the emulator reads it (src/api/body.ts): straight from the node request stream, else Hono's c.req.text(). */
function bodyText(c: Context<Env>): Promise<string> {
  const incoming = c.env?.incoming;
  if (!incoming) return c.req.text();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.once("end", () => resolve(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    incoming.once("error", reject);
  });
}

const app = new Hono<Env>();
app.get("/_emulator/health", (c) => c.json({ status: "ok" })); // what startServer polls
app.get("/_baseline/stats", (c) => c.json(o.log?.stats ?? { commits: 0, changes: 0 }));
app.all("*", async (c) => {
  const text = await bodyText(c);
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (o.log) await o.log.append(JSON.stringify(parsed));
  if (o.status === 204) return c.body(null, 204);
  return c.body(answer, 200, { "content-type": "application/json" });
});

const server = serve({ fetch: app.fetch, port: o.port, hostname: o.host }, (info) => {
  console.log(`[baseline-hono-io] listening on http://${o.host}:${info.port} (${o.status}, ${o.body.length} B${o.log ? ", durable" : ""})`);
});
stop((cb) => server.close(cb));
