import { describe, expect, it } from "vitest";
import { checkModel, sdkEnum } from "./model-check.js";

const JOB = {
  id: "n.validation-0e55b1de-8c30-48d1-8c73-2f0365e03641",
  status: "SUCCESS",
  creation_time_in_millis: 1774876441988,
  event: { type: "LIVEBOARD_SCHEDULE", id: "validation-9185f9be-f237-42bf-b452-c2dc897e1673", name: null, run_id: null },
  recipients: null,
  detail: "",
  try_count: 1,
};

describe("the SDK model checker", () => {
  it("accepts the seed guide's history example", () => {
    expect(checkModel({ jobs: [JOB] }, "SearchChannelHistoryResponse")).toEqual([]);
  });

  it("reads enum values from the SDK model declarations", () => {
    expect(sdkEnum("ChannelHistoryJobStatusEnum")).toEqual(["PENDING", "RETRY", "SUCCESS", "FAILED"]);
    expect(sdkEnum("CommunicationChannelValidateResponseResultCodeEnum")).toEqual(["SUCCESS", "FAILED", "PARTIAL_SUCCESS"]);
  });

  it("reports a bad enum value, a wrong primitive and an unknown field with their paths", () => {
    const problems = checkModel({ jobs: [{ ...JOB, status: "DONE", try_count: "1", extra: true }] }, "SearchChannelHistoryResponse");
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toContain("jobs[0].status");
    expect(problems.join("\n")).toContain("jobs[0].try_count");
    expect(problems.join("\n")).toContain("jobs[0].extra");
  });

  it("reports a missing or null required field inside a nested model", () => {
    const { id: _id, ...noId } = JOB.event;
    expect(checkModel({ jobs: [{ ...JOB, event: noId }] }, "SearchChannelHistoryResponse")).toEqual([
      expect.stringContaining("jobs[0].event.id: required"),
    ]);
    expect(checkModel({ jobs: [{ ...JOB, status: null }] }, "SearchChannelHistoryResponse")).toEqual([
      expect.stringContaining("jobs[0].status: required field of ChannelHistoryJob is null"),
    ]);
    expect(checkModel({}, "SearchChannelHistoryResponse")).toEqual([expect.stringContaining("jobs: required")]);
  });

  it("checks arrays of models and top-level arrays", () => {
    expect(checkModel([{ id: 0, name: "Primary" }], "Array<OrgResponse>")).toEqual([]);
    expect(checkModel([{ id: "0", name: "Primary" }], "Array<OrgResponse>")).toEqual([expect.stringContaining("[0].id: expected number")]);
    expect(checkModel({ id: 0 }, "Array<OrgResponse>")).toEqual([expect.stringContaining("expected Array<OrgResponse>")]);
  });

  it("lets through only the contract fields the SDK lacks, with their own values checked", () => {
    const webhook = {
      id: "3791ad80-70e8-4222-bf11-fb8a5f1b5bf4",
      name: "Zapier",
      url: "https://hooks.zapier.com/hooks/catch/123/abc",
      events: ["LIVEBOARD_SCHEDULE"],
      creation_time_in_millis: 1,
      modification_time_in_millis: 1,
      authentication: null,
      status: "ENABLED",
    };
    expect(checkModel(webhook, "WebhookResponse")).toEqual([]);
    expect(checkModel({ ...webhook, status: "ON" }, "WebhookResponse")).toEqual([expect.stringContaining("status")]);
    expect(checkModel({ ...webhook, enabled: true }, "WebhookResponse")).toEqual([expect.stringContaining("enabled: unknown field")]);
    expect(checkModel({ ...webhook, events: ["OTHER"] }, "WebhookResponse")).toEqual([expect.stringContaining("events[0]")]);
  });
});
