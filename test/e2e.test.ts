/**
 * End to end over a real socket (supertest on @hono/node-server's adaptor): the paths that only
 * exist under node-server — bodies read from the socket stream, the size limit on a chunked upload,
 * CORS preflight from a browser origin — plus the seed-guide flow.
 */

import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { API, closeSocketServers, debugText, errorCode, httpLogin, ORGS, socketServer } from "./support/index.js";

afterEach(closeSocketServers);

describe("over a real socket", () => {
  it("runs the seed guide's configure, create, validate and history calls", async () => {
    const s = await socketServer({ seed: 3 });
    const t = await httpLogin(s.base, "admin", { org_id: ORGS.testOrg1 });
    await request(s.server)
      .post(`${API}/system/preferences/communication-channels/configure`)
      .set("Authorization", `Bearer ${t}`)
      .send({
        org_preferences: [
          { org_identifier: "testOrg1", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
        ],
      })
      .expect(204);
    const hook = await request(s.server)
      .post(`${API}/webhooks/create`)
      .set("Authorization", `Bearer ${t}`)
      .send({ name: "Zapier", url: "https://hooks.zapier.com/hooks/catch/1/abc", events: ["LIVEBOARD_SCHEDULE"] })
      .expect(200);
    const val = await request(s.server)
      .post(`${API}/system/communication-channels/validate`)
      .set("Authorization", `Bearer ${t}`)
      .send({ channel_type: "WEBHOOK", channel_identifier: hook.body.id, event_type: "LIVEBOARD_SCHEDULE" })
      .expect(200);
    expect(val.body.result_code).toBe("SUCCESS");
    const hist = await request(s.server)
      .post(`${API}/jobs/history/communication-channels/search`)
      .set("Authorization", `Bearer ${t}`)
      .send({ channel_type: "WEBHOOK", job_ids: [val.body.job_id] })
      .expect(200)
      .expect("content-type", /application\/json/);
    expect(hist.body.jobs.map((j: { id: string }) => j.id)).toEqual([val.body.job_id]);
  });

  it("answers a chunked body over the 1 MB limit with a 400 in the envelope and keeps serving", async () => {
    const s = await socketServer({ seed: 3 });
    const t = await httpLogin(s.base, "admin", { org_id: ORGS.testOrg1 });
    const big = JSON.stringify({ channel_type: "WEBHOOK", job_ids: ["x".repeat(1_100_000)] });
    const req = request(s.server)
      .post(`${API}/jobs/history/communication-channels/search`)
      .set("Authorization", `Bearer ${t}`)
      .set("Content-Type", "application/json");
    // Written in pieces without a Content-Length, so the limit is enforced while streaming.
    const res = await new Promise<request.Response>((resolve, reject) => {
      req.on("response", resolve).on("error", reject);
      for (let i = 0; i < big.length; i += 64 * 1024) req.write(big.slice(i, i + 64 * 1024));
      req.end();
    });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("The request body is larger than the 1048576-byte limit.");
    await request(s.server).post(`${API}/webhooks/search`).set("Authorization", `Bearer ${t}`).send({}).expect(200);
  });

  it("answers malformed JSON read from the socket with a 400 that quotes nothing of the body", async () => {
    const s = await socketServer({ seed: 3 });
    const t = await httpLogin(s.base, "admin", { org_id: ORGS.testOrg1 });
    const res = await request(s.server)
      .post(`${API}/webhooks/search`)
      .set("Authorization", `Bearer ${t}`)
      .set("Content-Type", "application/json")
      .send('{"record_size": 5, "secret-ish": "abc')
      .expect(400);
    expect(debugText(res.body)).toMatch(/^Malformed JSON in request body( at position \d+)?\.$/);
  });

  it("answers a CORS preflight from a localhost app and allows the credentialed call", async () => {
    const s = await socketServer({ seed: 3 });
    const origin = "http://localhost:5173";
    const pre = await request(s.server)
      .options(`${API}/webhooks/search`)
      .set("Origin", origin)
      .set("Access-Control-Request-Method", "POST")
      .set("Access-Control-Request-Headers", "authorization,content-type")
      .expect(204);
    expect(pre.headers["access-control-allow-origin"]).toBe(origin);
    expect(pre.headers["access-control-allow-credentials"]).toBe("true");
    const t = await httpLogin(s.base, "admin", { org_id: ORGS.testOrg1 });
    const res = await request(s.server)
      .post(`${API}/webhooks/search`)
      .set("Origin", origin)
      .set("Authorization", `Bearer ${t}`)
      .send({})
      .expect(200);
    expect(res.headers["access-control-allow-origin"]).toBe(origin);
    expect(res.headers.vary).toBe("Origin");
  });
});
