/**
 * Same-I/O baseline (b): node:http with no framework, doing what (a) does: read the whole body, parse
 * it, optionally append it durably (group commit + fdatasync, see same-io.ts), answer a fixed body of
 * exactly the emulator's size and status. `node bench/.build/baseline-node-http.js --port N --bytes B --status S [--log F]`.
 */
import http from "node:http";
import { sameIoOptions, stop } from "./same-io.js";

const o = sameIoOptions();
const headers = o.status === 204 ? {} : { "content-type": "application/json", "content-length": String(o.body.length) };

const server = http.createServer((req, res) => {
  if (req.method === "GET" && (req.url === "/_baseline/stats" || req.url === "/_emulator/health")) {
    const text = JSON.stringify(req.url === "/_emulator/health" ? { status: "ok" } : (o.log?.stats ?? { commits: 0, changes: 0 }));
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", async () => {
    try {
      const text = chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8");
      const parsed: unknown = text ? JSON.parse(text) : undefined;
      if (o.log) await o.log.append(JSON.stringify(parsed));
      res.writeHead(o.status, headers).end(o.status === 204 ? undefined : o.body);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
});
server.keepAliveTimeout = 5000;
server.listen(o.port, o.host, () => {
  console.log(`[baseline-node-http] listening on http://${o.host}:${o.port} (${o.status}, ${o.body.length} B${o.log ? ", durable" : ""})`);
});
stop((cb) => server.close(cb));
