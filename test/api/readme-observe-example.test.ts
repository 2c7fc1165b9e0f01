/** The README's contract-test example, as written there (the app under test played by plain HTTP calls). */
import { expect, it } from "vitest";
import { startEmulator } from "../../src/index.js";
import { API, httpLogin, httpRequest } from "../support/index.js";

it("runs the README's ten-line contract test: assert on the journal, wait for the delivery in the inbox", async () => {
  const emu = await startEmulator({ port: 0, log: () => {}, deliveryBackoffMs: [10, 10] });
  // The app under test:
  const token = await httpLogin(emu.url, "admin");
  await httpRequest(
    emu.url,
    "POST",
    `${API}/system/preferences/communication-channels/configure`,
    { cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
    { token },
  );
  const hook = await httpRequest(
    emu.url,
    "POST",
    `${API}/webhooks/create`,
    {
      name: "Zapier",
      url: `${emu.url}/_emulator/inbox/zap`,
      events: ["LIVEBOARD_SCHEDULE"],
      signature_verification: { type: "HMAC_SHA256", header: "X-TS-Signature", algorithm: "SHA256", secret: "s3cret" },
    },
    { token },
  );
  await httpRequest(emu.url, "POST", "/_emulator/deliveries", { channel_identifier: hook.body.id });
  // The README's assertions:
  const seen = emu.requests.find({ operation: "createWebhookConfiguration", body: { name: "Zapier" } });
  expect(seen.count, JSON.stringify(seen.near_misses)).toBe(1);
  const delivery = await emu.inbox.waitFor({ webhook: "zap", timeoutMs: 5000 });
  expect(delivery.signature_valid).toBe(true);
  expect(delivery.payload).toMatchObject({ eventType: "LIVEBOARD_SCHEDULE" });
  await emu.stop();
});
