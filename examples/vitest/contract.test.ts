// A contract test of an app that sets up a webhook channel, run against the emulator:
// npx vitest run --config examples/vitest/vitest.config.ts
import { useEmulator } from "thoughtspot-channels-emulator/vitest";
import { beforeEach, describe, expect, it } from "vitest";

const emu = useEmulator();

/** The app under test: turns the webhook channel on for an org and registers its receiver. */
async function setUpWebhookChannel(token: string, receiverUrl: string) {
  await emu.must(
    "POST",
    "/system/preferences/communication-channels/configure",
    {
      org_preferences: [
        { org_identifier: "Primary", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
      ],
    },
    token,
  );
  return emu.must(
    "POST",
    "/webhooks/create",
    {
      name: "Ops receiver",
      url: receiverUrl,
      events: ["LIVEBOARD_SCHEDULE"],
      signature_verification: { type: "HMAC_SHA256", header: "X-TS-Signature", algorithm: "SHA256", secret: "example-secret" },
    },
    token,
  );
}

describe("the app's webhook set-up", () => {
  beforeEach(() => emu.reset());

  it("configures the channel and creates a webhook the emulator delivers to, signed", async () => {
    const token = await emu.login();
    const hook = await setUpWebhookChannel(token, emu.inboxUrl("ops"));
    const seen = await emu.requests.find({ operation: "configureCommunicationChannelPreferences" });
    expect(seen.count).toBe(1);
    await emu.deliver(hook.id, { wait: true });
    const delivery = await emu.inbox.waitFor({ webhook: "ops" });
    expect(delivery.signature_valid).toBe(true);
    expect(delivery.payload.eventType).toBe("LIVEBOARD_SCHEDULE");
  });

  it("sees PARTIAL_SUCCESS when AWS denies the role (a scenario)", async () => {
    const token = await emu.login();
    const hook = await emu.must(
      "POST",
      "/webhooks/create",
      {
        name: "With storage",
        url: emu.inboxUrl("storage"),
        events: ["LIVEBOARD_SCHEDULE"],
        storage_destination: {
          storage_type: "AWS_S3",
          storage_config: { aws_s3_config: { bucket_name: "b", region: "us-east-1", role_arn: "arn:aws:iam::123456789012:role/R" } },
        },
      },
      token,
    );
    await emu.scenarios.on("aws-assume-role-denied");
    const result = await emu.must(
      "POST",
      "/system/communication-channels/validate",
      { channel_type: "WEBHOOK", channel_identifier: hook.id, event_type: "LIVEBOARD_SCHEDULE" },
      token,
    );
    expect(result.result_code).toBe("PARTIAL_SUCCESS");
    expect(result.details[0].error_message).toMatch(/sts:AssumeRole/);
  });
});
