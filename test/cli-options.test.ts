/**
 * The CLI flags of the webhook and delivery options: a running CLI applies them, and a value that
 * is not one of the choices stops start-up with exit code 2 naming the valid ones.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  API,
  closeReceivers,
  createWebhookHttp,
  http,
  httpLogin,
  killAll,
  partsByName,
  S3_DESTINATION,
  startCli,
  startReceiver,
  userId,
  validateBody,
  verifySignature,
} from "./support/index.js";

afterAll(async () => {
  await closeReceivers();
  await killAll();
});

describe("webhook and delivery options on the command line", () => {
  it("applies --webhooks-per-org many, --signature-scheme, --signature-part and --object-key-layout", async () => {
    const cli = startCli([
      "--port",
      "0",
      "--in-memory",
      "--webhooks-per-org",
      "many",
      "--signature-scheme",
      "sha256=hex",
      "--signature-part",
      "payload",
      "--object-key-layout",
      "user-org",
    ]);
    const base = await cli.ready();
    const rx = await startReceiver({ status: 200 });
    const token = await httpLogin(base, "admin");
    await createWebhookHttp(base, token, { name: "First" });
    const second = await createWebhookHttp(base, token, {
      name: "Second",
      url: rx.url,
      storage_destination: S3_DESTINATION,
      signature_verification: { type: "HMAC_SHA256", header: "X-Signature", algorithm: "SHA256", secret: "cli-secret" },
    });
    const found = await http(base, `${API}/webhooks/search`, { sort_options: { field_name: "NAME", order: "ASC" } }, token);
    expect(found.body.webhooks.map((w: any) => w.name)).toEqual(["First", "Second"]);

    const res = await http(base, `${API}/system/communication-channels/validate`, validateBody(second.id), token);
    expect(res.status, res.text).toBe(200);
    const [req] = rx.requests;
    expect(verifySignature(req, { header: "X-Signature", secret: "cli-secret", scheme: "sha256=hex", part: "payload" })).toBe(true);
    const instance = JSON.parse(partsByName(req).payload.body).source.instanceId;
    const { object_key, file_name } = res.body.details[0].aws_s3_info;
    expect(object_key).toBe(`webhooks/cluster-${instance}/user-${userId("tsadmin")}/org-0/liveboard/${file_name}`);
    expect(await cli.stop()).toEqual({ code: 0, signal: null });
  });

  it.each([
    ["--webhooks-per-org", "several", "--webhooks-per-org must be one of one, many"],
    ["--signature-scheme", "hmac", "--signature-scheme must be one of hex, base64, sha256=hex"],
    ["--signature-part", "header", "--signature-part must be one of body, payload"],
    ["--object-key-layout", "flat", "--object-key-layout must be one of org-user, user-org"],
  ])("refuses %s %s with exit code 2 and the valid values", async (flag, value, message) => {
    const cli = startCli(["--port", "0", "--in-memory", flag, value]);
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toContain(`${message}, got "${value}"`);
  });
});
