import { describe, expect, it } from "vitest";
import { call, debugText, emulator, login, S3_DESTINATION, WEBHOOK } from "./support/index.js";

describe("the seed guide flow", () => {
  it("configures, creates a webhook, validates it and finds the validation job", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin", 2100019165);
    const cfg = await call(
      emu,
      "POST",
      "/system/preferences/communication-channels/configure",
      {
        org_preferences: [
          { org_identifier: "testOrg1", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
        ],
      },
      { token },
    );
    expect(cfg.status).toBe(204);
    expect(cfg.text).toBe("");
    const wh = await call(emu, "POST", "/webhooks/create", { ...WEBHOOK, storage_destination: S3_DESTINATION }, { token });
    expect(wh.status).toBe(200);
    const val = await call(
      emu,
      "POST",
      "/system/communication-channels/validate",
      { channel_type: "WEBHOOK", channel_identifier: wh.body.id, event_type: "LIVEBOARD_SCHEDULE" },
      { token },
    );
    expect(val.status).toBe(200);
    expect(val.body.result_code).toBe("SUCCESS");
    expect(val.body.details.map((d: any) => d.validation_step)).toEqual(["STORAGE_FILE_UPLOAD_CHECK", "HTTP_CONNECTION_CHECK"]);
    const hist = await call(
      emu,
      "POST",
      "/jobs/history/communication-channels/search",
      { channel_type: "WEBHOOK", job_ids: [val.body.job_id] },
      { token },
    );
    expect(hist.body.jobs).toEqual([
      {
        id: val.body.job_id,
        status: "SUCCESS",
        creation_time_in_millis: expect.any(Number),
        event: { type: "LIVEBOARD_SCHEDULE", id: `validation-${wh.body.id}`, name: null, run_id: null },
        recipients: null,
        detail: "",
        try_count: 1,
      },
    ]);
  });

  it("names the field in a validation error", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(
      emu,
      "POST",
      "/system/communication-channels/validate",
      { channel_type: "WEBHOOK", channel_identifier: "", event_type: "LIVEBOARD_SCHEDULE" },
      { token },
    );
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toContain("channel_identifier");
  });
});
