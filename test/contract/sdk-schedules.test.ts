/**
 * Contract tests of the schedules endpoints and the scheduler through the official client: a
 * schedule made with `createSchedule` fires when the emulator clock passes its next run, through
 * the channels the org's preferences (set with the client too) turn on.
 */

import type { CreateScheduleRequest, GetFullAccessTokenRequest } from "@thoughtspot/rest-api-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/index.js";
import { partsByName, startReceiver, T0, verifySignature } from "../support/index.js";
import { checkModel } from "./model-check.js";
import { apiException, type Client, expectEnvelope, sdkClient, UUID_V4 } from "./sdk-client.js";

const HOUR = 3_600_000;
const ADMIN: GetFullAccessTokenRequest = { username: "tsadmin", password: "admin", org_id: 2100019165, validity_time_in_sec: 30 * 86_400 };

let emu: RunningEmulator;
let namespaces = 0;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 11, clockStart: T0, freezeClock: true, log: () => {} });
});

afterAll(async () => {
  await emu?.stop();
});

function namespace(label: string): string {
  return `sdk-sched-${label}-${++namespaces}`;
}

const client = (ns: string): Client => sdkClient(emu.url, { auth: ADMIN, namespace: ns });

/** Moves the emulator clock (one clock for every namespace); answers once what came due has happened. */
async function advance(ms: number): Promise<void> {
  const res = await fetch(`${emu.url}/_emulator/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advance_ms: ms }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** The emulator clock's now, for runs due an hour after whatever earlier tests moved it to. */
async function now(): Promise<number> {
  return (await (await fetch(`${emu.url}/_emulator/clock`)).json()).now;
}

/** A daily schedule of the fixture Liveboard "Regional Revenue" at the hour after `at` (UTC). */
function dailyAfter(at: number, extra: Partial<CreateScheduleRequest> = {}): CreateScheduleRequest {
  const hour = new Date(at + HOUR).getUTCHours();
  return {
    name: "Morning revenue",
    description: "Revenue every morning",
    metadata_type: "LIVEBOARD",
    metadata_identifier: "Regional Revenue",
    time_zone: "Etc/UTC",
    file_format: "PDF",
    frequency: { cron_expression: { second: "0", minute: "0", hour: String(hour), day_of_month: "*", month: "*", day_of_week: "*" } },
    recipient_details: { emails: ["cfo@example.com"], principals: [{ identifier: "analyst", type: "USER" }] },
    ...extra,
  };
}

async function outbox(ns: string) {
  return (await fetch(`${emu.url}/_emulator/outbox`, { headers: { "x-emulator-namespace": ns } })).json();
}

describe("schedules through the official client", () => {
  it("creates a schedule, fires it when the clock passes its next run: a signed delivery and a SUCCESS job with its id and name", async () => {
    const rx = await startReceiver();
    try {
      const ns = namespace("fire");
      const c = client(ns);
      await c.api.configureCommunicationChannelPreferences({
        org_preferences: [
          { org_identifier: "testOrg1", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
        ],
      });
      const secret = "sched-sdk-secret";
      const hook = await c.api.createWebhookConfiguration({
        name: "Ops",
        url: rx.url,
        events: ["LIVEBOARD_SCHEDULE"],
        signature_verification: { type: "HMAC_SHA256", header: "X-Signature", algorithm: "SHA256", secret },
      });
      const start = await now();
      const created = await c.api.createSchedule(dailyAfter(start));
      expect(checkModel(c.last().json, "ResponseSchedule")).toEqual([]);
      expect(created.id).toMatch(UUID_V4);
      expect(c.last().json).toMatchObject({ name: "Morning revenue", status: "ACTIVE", time_zone: "Etc/UTC" });

      const found = await c.api.searchSchedules({ schedule_identifiers: [created.id] });
      expect(checkModel(c.last().json, "Array<ResponseSchedule>")).toEqual([]);
      expect(found.map((s) => s.name)).toEqual(["Morning revenue"]);

      await advance(HOUR);
      expect(rx.requests).toHaveLength(1);
      expect(verifySignature(rx.requests[0]!, { header: "X-Signature", secret, scheme: "hex", part: "body" })).toBe(true);
      const payload = JSON.parse(partsByName(rx.requests[0]!).payload.body);
      expect(payload.data.scheduleDetails).toMatchObject({ scheduleId: created.id, name: "Morning revenue" });

      await c.api.searchChannelHistory({
        channel_type: "WEBHOOK",
        channel_identifiers: [hook.id],
        events: [{ type: "LIVEBOARD_SCHEDULE" }],
      });
      expect(checkModel(c.last().json, "SearchChannelHistoryResponse")).toEqual([]);
      const [job] = c.last().json.jobs;
      expect(job).toMatchObject({
        status: "SUCCESS",
        try_count: 1,
        event: { type: "LIVEBOARD_SCHEDULE", id: created.id, name: "Morning revenue", run_id: expect.stringMatching(UUID_V4) },
      });

      await c.api.searchSchedules({ schedule_identifiers: ["Morning revenue"], history_runs_options: { include_history_runs: true } });
      expect(checkModel(c.last().json, "Array<ResponseSchedule>")).toEqual([]);
      expect(c.last().json[0].history_runs).toEqual([expect.objectContaining({ id: job.event.run_id, status: "SUCCESS" })]);
      expect((await outbox(ns)).messages).toEqual([]);
    } finally {
      await rx.close();
    }
  });

  it("sends an org whose preferences are EMAIL only an outbox message and its webhook nothing", async () => {
    const rx = await startReceiver();
    try {
      const ns = namespace("email");
      const c = client(ns);
      // The cluster says WEBHOOK; the org's override says EMAIL, and wins.
      await c.api.configureCommunicationChannelPreferences({
        cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }],
        org_preferences: [
          { org_identifier: "testOrg1", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] }] },
        ],
      });
      const hook = await c.api.createWebhookConfiguration({ name: "Ops", url: rx.url, events: ["LIVEBOARD_SCHEDULE"] });
      const created = await c.api.createSchedule(dailyAfter(await now()));
      await advance(HOUR);
      expect(rx.requests).toHaveLength(0);
      await c.api.searchChannelHistory({
        channel_type: "WEBHOOK",
        channel_identifiers: [hook.id],
        events: [{ type: "LIVEBOARD_SCHEDULE" }],
      });
      expect(c.last().json.jobs).toEqual([]);
      const box = await outbox(ns);
      expect(box.messages).toHaveLength(1);
      expect(box.messages[0]).toMatchObject({
        schedule: { id: created.id, name: "Morning revenue" },
        to: ["analyst@example.com", "cfo@example.com"],
        attachment: { name: "Regional_Revenue.pdf", content_type: "application/pdf" },
      });
    } finally {
      await rx.close();
    }
  });

  it("updates, pauses and deletes a schedule; an unknown one is ApiException 400, never 404", async () => {
    const ns = namespace("crud");
    const c = client(ns);
    const created = await c.api.createSchedule(dailyAfter(await now()));
    await c.api.updateSchedule(created.id, { description: "changed", status: "PAUSE" });
    expect(c.last().status).toBe(204);
    const [paused] = await c.api.searchSchedules({ schedule_identifiers: [created.id] });
    expect(c.last().json[0]).toMatchObject({ description: "changed", status: "PAUSED" });
    expect(paused!.id).toBe(created.id);
    await c.api.deleteSchedule(created.id);
    expect(c.last().status).toBe(204);
    const err = await apiException(c.api.deleteSchedule(created.id));
    expectEnvelope(err, c.last(), 400, 10002);
  });
});
