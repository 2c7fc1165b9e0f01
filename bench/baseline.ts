/**
 * The benchmark's ceiling: a bare Hono app on @hono/node-server answering a fixed small JSON body on
 * every GET and POST path (the request body is not read). `node bench/.build/baseline.js --port N`.
 */

import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const { values } = parseArgs({ options: { port: { type: "string", default: "0" }, host: { type: "string", default: "127.0.0.1" } } });
const BODY = { status: "ok", message: "fixed baseline response", items: [1, 2, 3] };

const app = new Hono();
app.get("*", (c) => c.json(BODY));
app.post("*", (c) => c.json(BODY));

const server = serve({ fetch: app.fetch, port: Number(values.port), hostname: values.host }, (info) => {
  console.log(`[baseline] bare Hono listening on http://${values.host}:${info.port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
