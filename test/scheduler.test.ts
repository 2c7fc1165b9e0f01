import { afterEach, describe, expect, it } from "vitest";
import type { Clock } from "../src/clock.js";
import type { Emulator, EmulatorOptions } from "../src/index.js";
import { CATCH_UP_CAP } from "../src/services/scheduler.js";
import {
  call,
  closeReceivers,
  createWebhook,
  debugText,
  emulator,
  errorCode,
  FIXTURES,
  frozenClock,
  login,
  partsByName,
  readFixtures,
  startReceiver,
  T0,
  tempDirs,
  USERS,
  userId,
  verifySignature,
} from "./support/index.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ORG1 = 2100019165;
const REGIONAL = FIXTURES.liveboards.find((b: { name: string }) => b.name === "Regional Revenue");
const daily = (hour: number, minute = 0) => ({
  cron_expression: { second: "0", minute: String(minute), hour: String(hour), day_of_month: "*", month: "*", day_of_week: "*" },
});

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await closeReceivers();
});

/** tsadmin in testOrg1, with a token that outlives the clock moves of a test (90 days). */
async function longLogin(emu: Emulator): Promise<string> {
  const res = await call(emu, "POST", "/auth/token/full", { ...USERS.admin, org_id: ORG1, validity_time_in_sec: 90 * 86_400 });
  expect(res.status, res.text).toBe(200);
  return res.body.token;
}

/** An emulator on a frozen clock (T0 = 2026-02-26 09:00 UTC), logged in as tsadmin in testOrg1. */
async function setup(options: EmulatorOptions = {}) {
  const clock = frozenClock();
  const emu = await emulator({ clock, deliveryBackoffMs: [1000, 2000], ...options });
  closers.push(() => emu.close());
  return { emu, token: await longLogin(emu), clock };
}

const channels = (emu: Emulator, token: string, body: Record<string, unknown>) =>
  call(emu, "POST", "/system/preferences/communication-channels/configure", body, { token });
const orgChannels = (list: string[]) => ({
  org_preferences: [
    { org_identifier: "testOrg1", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: list }] },
  ],
});
const clusterChannels = (list: string[]) => ({ cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: list }] });

async function schedule(emu: Emulator, token: string, over: Record<string, unknown> = {}) {
  const res = await call(
    emu,
    "POST",
    "/schedules/create",
    {
      name: "Morning revenue",
      description: "Revenue every morning",
      metadata_type: "LIVEBOARD",
      metadata_identifier: "Regional Revenue",
      time_zone: "Etc/UTC",
      frequency: daily(10),
      recipient_details: { emails: ["cfo@example.com"], principals: [{ identifier: "analyst", type: "USER" }] },
      ...over,
    },
    { token },
  );
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const advance = async (emu: Emulator, ms: number) => {
  const res = await call(emu, "POST", "/_emulator/clock", { advance_ms: ms });
  expect(res.status, res.text).toBe(200);
};

async function historyOf(emu: Emulator, token: string, channel: string) {
  const res = await call(
    emu,
    "POST",
    "/jobs/history/communication-channels/search",
    { channel_type: "WEBHOOK", channel_identifiers: [channel], events: [{ type: "LIVEBOARD_SCHEDULE" }] },
    { token },
  );
  expect(res.status, res.text).toBe(200);
  return res.body.jobs as any[];
}

async function runsOf(emu: Emulator, token: string, name: string, size = 100) {
  const res = await call(
    emu,
    "POST",
    "/schedules/search",
    { schedule_identifiers: [name], history_runs_options: { include_history_runs: true, record_size: size } },
    { token },
  );
  expect(res.status, res.text).toBe(200);
  return res.body[0].history_runs as any[];
}

const outbox = async (emu: Emulator) => (await call(emu, "GET", "/_emulator/outbox")).body;

describe("a schedule run through the WEBHOOK channel", () => {
  it("fires when the clock is moved past it: a signed delivery at the receiver and a SUCCESS job with the schedule's id and name", async () => {
    const rx = await startReceiver();
    const { emu, token } = await setup();
    await channels(emu, token, orgChannels(["WEBHOOK"]));
    const secret = "sched-secret";
    const hook = await createWebhook(emu, token, {
      name: "Ops",
      url: rx.url,
      signature_verification: { type: "HMAC_SHA256", header: "X-Signature", algorithm: "SHA256", secret },
    });
    const s = await schedule(emu, token);
    await advance(emu, HOUR - 1); // 09:59:59.999: not yet
    expect(rx.requests).toHaveLength(0);
    await advance(emu, 1);
    expect(rx.requests).toHaveLength(1);
    const got = rx.requests[0]!;
    expect(verifySignature(got, { header: "X-Signature", secret, scheme: "hex", part: "body" })).toBe(true);
    const payload = JSON.parse(partsByName(got).payload.body);
    const [job] = await historyOf(emu, token, hook.id);
    expect(job).toMatchObject({
      status: "SUCCESS",
      try_count: 1,
      creation_time_in_millis: T0 + HOUR,
      event: { type: "LIVEBOARD_SCHEDULE", id: s.id, name: "Morning revenue", run_id: expect.any(String) },
      recipients: [
        { type: "USER", id: userId("analyst"), email: "analyst@example.com" },
        { type: "EXTERNAL", id: null, name: null, email: "cfo@example.com" },
      ],
    });
    expect(payload).toMatchObject({
      eventId: job.id,
      timestamp: "2026-02-26T10:00:00Z",
      metadataObject: { objectType: "LIVEBOARD", id: REGIONAL.id, name: "Regional Revenue" },
      data: {
        scheduleDetails: {
          scheduleId: s.id,
          name: "Morning revenue",
          description: "Revenue every morning",
          authorId: userId("tsadmin"),
          runId: job.event.run_id,
          fileFormat: "pdf",
          userIds: [userId("analyst")],
          emailIds: ["cfo@example.com"],
        },
      },
    });
    // the run itself, as search's history_runs shows it
    expect(await runsOf(emu, token, "Morning revenue")).toEqual([
      {
        id: job.event.run_id,
        start_time_in_millis: T0 + HOUR,
        end_time_in_millis: T0 + HOUR,
        status: "SUCCESS",
        detail: "Scheduled updates generated as expected.",
      },
    ]);
    // EMAIL is off for this org: no e-mail
    expect((await outbox(emu)).messages).toEqual([]);
  });

  it("exports what the schedule says: its format, visualizations, view and PDF options", async () => {
    const rx = await startReceiver();
    const { emu, token } = await setup();
    await channels(emu, token, orgChannels(["WEBHOOK"]));
    await createWebhook(emu, token, { name: "Ops", url: rx.url });
    await schedule(emu, token, {
      file_format: "CSV",
      personalised_view_id: "EMEA",
      liveboard_options: { visualization_identifiers: ["Quarter over Quarter"] },
      pdf_options: { page_orientation: "PORTRAIT", include_cover_page: false, page_footer_text: "Confidential" },
    });
    await advance(emu, HOUR);
    const parts = partsByName(rx.requests[0]!);
    expect(parts.file).toMatchObject({ type: "text/csv" });
    const payload = JSON.parse(parts.payload.body);
    expect(payload.metadataObject.name).toBe("Regional Revenue (View: EMEA)");
    expect(payload.data.scheduleDetails.fileFormat).toBe("csv");
    expect(payload.data.scheduleDetails.exportRequest).toMatchObject({
      pdf_params: { orientation: "PORTRAIT", page_size: "A4" },
      liveboard_params: {
        personalised_view_id: REGIONAL.views[0].id,
        liveboard_viz_selection: { complete_liveboard: false, included_viz_id: [REGIONAL.visualizations[1].id] },
        print_document_params: { include_cover_page: false, pageFooterParams: { text: "Confidential" } },
      },
    });
  });

  it("gives a DISABLED webhook nothing, and records the run FAILED with the reason", async () => {
    const rx = await startReceiver();
    const { emu, token } = await setup();
    await channels(emu, token, orgChannels(["WEBHOOK"]));
    const hook = await createWebhook(emu, token, { name: "Ops", url: rx.url, status: "DISABLED" });
    await schedule(emu, token);
    await advance(emu, HOUR);
    expect(rx.requests).toHaveLength(0);
    expect(await historyOf(emu, token, hook.id)).toEqual([]);
    const [run] = await runsOf(emu, token, "Morning revenue");
    expect(run).toMatchObject({ status: "FAILED", detail: "WEBHOOK: every LIVEBOARD_SCHEDULE webhook of org 'testOrg1' is DISABLED." });
  });

  it("follows delivery.attempt scenarios, its retries waiting on the clock", async () => {
    const rx = await startReceiver();
    const { emu, token } = await setup();
    await channels(emu, token, orgChannels(["WEBHOOK"]));
    const hook = await createWebhook(emu, token, { name: "Ops", url: rx.url });
    await schedule(emu, token);
    expect((await call(emu, "POST", "/_emulator/scenarios/webhook-returns-500/activate")).status).toBe(200);
    await advance(emu, HOUR);
    expect((await historyOf(emu, token, hook.id))[0]).toMatchObject({
      status: "RETRY",
      try_count: 1,
      detail: "HTTP 500 Internal Server Error",
    });
    expect((await runsOf(emu, token, "Morning revenue"))[0].status).toBe("RUNNING");
    await advance(emu, 3000);
    expect((await historyOf(emu, token, hook.id))[0]).toMatchObject({ status: "FAILED", try_count: 3 });
    expect((await runsOf(emu, token, "Morning revenue"))[0]).toMatchObject({
      status: "FAILED",
      end_time_in_millis: T0 + HOUR + 3000,
      detail: "WEBHOOK 'Ops': HTTP 500 Internal Server Error.",
    });
    // the scenario answered for the receiver: it was never called
    expect(rx.requests).toHaveLength(0);
  });
});

describe("the channels a run goes to", () => {
  it("sends an org whose preferences are EMAIL only an outbox message and no webhook delivery", async () => {
    const rx = await startReceiver();
    const { emu, token } = await setup();
    await channels(emu, token, orgChannels(["EMAIL"]));
    const hook = await createWebhook(emu, token, { name: "Ops", url: rx.url });
    const s = await schedule(emu, token);
    await advance(emu, HOUR);
    expect(rx.requests).toHaveLength(0);
    expect(await historyOf(emu, token, hook.id)).toEqual([]);
    const box = await outbox(emu);
    expect(box.total).toBe(1);
    const [run] = await runsOf(emu, token, "Morning revenue");
    expect(box.messages[0]).toEqual({
      id: "e-1",
      seq: 1,
      sent_at: T0 + HOUR,
      sent_iso: "2026-02-26T10:00:00.000Z",
      org: { id: String(ORG1), name: "testOrg1" },
      schedule: { id: s.id, name: "Morning revenue" },
      run_id: run.id,
      liveboard: { id: REGIONAL.id, name: "Regional Revenue" },
      from: "ThoughtSpot <no-reply@thoughtspot.invalid>",
      to: ["analyst@example.com", "cfo@example.com"],
      subject: "Morning revenue: Regional Revenue",
      text: expect.stringContaining("Description: Revenue every morning"),
      attachment: { name: "Regional_Revenue.pdf", content_type: "application/pdf", size: expect.any(Number) },
    });
    expect(run.status).toBe("SUCCESS");
  });

  it("follows the org's override over the cluster value, both ways", async () => {
    const rx = await startReceiver();
    const { emu, token } = await setup();
    const hook = await createWebhook(emu, token, { name: "Ops", url: rx.url });
    await schedule(emu, token);
    await channels(emu, token, { ...clusterChannels(["EMAIL"]), ...orgChannels(["WEBHOOK"]) });
    await advance(emu, HOUR);
    expect(rx.requests).toHaveLength(1);
    expect((await outbox(emu)).total).toBe(0);
    await channels(emu, token, { ...clusterChannels(["WEBHOOK"]), ...orgChannels(["EMAIL"]) });
    await advance(emu, DAY);
    expect(rx.requests).toHaveLength(1);
    expect((await outbox(emu)).total).toBe(1);
    expect(await historyOf(emu, token, hook.id)).toHaveLength(1);
    // with the override reset, the cluster value applies
    await channels(emu, token, {
      org_preferences: [{ org_identifier: "testOrg1", operation: "RESET", reset_events: ["LIVEBOARD_SCHEDULE"] }],
    });
    await advance(emu, DAY);
    expect(rx.requests).toHaveLength(2);
  });

  it("sends EMAIL when nothing is configured, and nothing for channels [] (the run says so)", async () => {
    const { emu, token } = await setup();
    await schedule(emu, token);
    await advance(emu, HOUR);
    expect((await outbox(emu)).total).toBe(1);
    await channels(emu, token, orgChannels([]));
    await advance(emu, DAY);
    expect((await outbox(emu)).total).toBe(1);
    const [latest] = await runsOf(emu, token, "Morning revenue");
    expect(latest).toMatchObject({
      status: "SUCCESS",
      detail: expect.stringContaining("No channel is on for LIVEBOARD_SCHEDULE in org 'testOrg1'"),
    });
  });

  it("sends both channels when both are on", async () => {
    const rx = await startReceiver();
    const { emu, token } = await setup();
    await channels(emu, token, orgChannels(["EMAIL", "WEBHOOK"]));
    await createWebhook(emu, token, { name: "Ops", url: rx.url });
    await schedule(emu, token);
    await advance(emu, HOUR);
    expect(rx.requests).toHaveLength(1);
    expect((await outbox(emu)).total).toBe(1);
  });
});

describe("moving the clock", () => {
  it("a week forward fires each due run once, in order, and a second move fires nothing again", async () => {
    const rx = await startReceiver();
    const { emu, token } = await setup();
    await channels(emu, token, orgChannels(["WEBHOOK", "EMAIL"]));
    const hook = await createWebhook(emu, token, { name: "Ops", url: rx.url });
    await schedule(emu, token);
    await schedule(emu, token, { name: "Evening revenue", frequency: daily(18, 30) });
    await advance(emu, 7 * DAY);
    const times = rx.requests.map((r) => JSON.parse(partsByName(r).payload.body).timestamp);
    const days = ["2026-02-26", "2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"];
    const expected = days.flatMap((day) => [`${day}T10:00:00Z`, `${day}T18:30:00Z`]);
    expect(times).toEqual(expected);
    const jobs = await historyOf(emu, token, hook.id);
    // retention (3 days) hides the older jobs; those it shows have distinct run ids
    expect(new Set(jobs.map((j) => j.event.run_id)).size).toBe(jobs.length);
    expect((await outbox(emu)).total).toBe(14);
    await advance(emu, 0);
    expect(rx.requests).toHaveLength(14);
  });

  it(`fires at most ${CATCH_UP_CAP} runs of a schedule per move, the newest, and counts the skipped ones`, async () => {
    const { emu, token } = await setup();
    await schedule(emu, token, {
      frequency: { cron_expression: { second: "0", minute: "*/5", hour: "*", day_of_month: "*", month: "*", day_of_week: "*" } },
    });
    await advance(emu, DAY); // 288 runs due
    const box = await outbox(emu);
    expect(box.total).toBe(CATCH_UP_CAP);
    expect(box.messages[0].sent_at).toBe(T0 + DAY);
    expect(box.messages.at(-1).sent_at).toBe(T0 + DAY - (CATCH_UP_CAP - 1) * 300_000);
    const [state] = (await call(emu, "GET", "/_emulator/state")).body.schedules;
    expect(state).toMatchObject({ skipped_runs: 288 - CATCH_UP_CAP, next_run_time_in_millis: T0 + DAY + 300_000 });
  });

  it("fires a run when real time gets there on a running clock", async () => {
    const emu = await emulator({});
    closers.push(() => emu.close());
    const token = await login(emu, "admin", ORG1);
    await schedule(emu, token, {
      frequency: { cron_expression: { second: "*", minute: "*", hour: "*", day_of_month: "*", month: "*", day_of_week: "*" } },
    });
    const mail = await emu.outbox.waitFor({ schedule: "Morning revenue", timeoutMs: 5000 });
    expect(mail.to).toEqual(["analyst@example.com", "cfo@example.com"]);
  });

  it("does not fire a paused schedule, and a resumed one does not catch up the pause", async () => {
    const { emu, token } = await setup();
    await schedule(emu, token);
    expect((await call(emu, "POST", "/schedules/Morning revenue/update", { status: "PAUSE" }, { token })).status).toBe(204);
    await advance(emu, 3 * DAY);
    expect((await outbox(emu)).total).toBe(0);
    expect((await call(emu, "POST", "/schedules/Morning revenue/update", { status: "ACTIVE" }, { token })).status).toBe(204);
    await advance(emu, 0);
    expect((await outbox(emu)).total).toBe(0);
    await advance(emu, DAY);
    expect((await outbox(emu)).total).toBe(1);
  });

  it("stops firing a deleted schedule and forgets every schedule on a reset", async () => {
    const { emu, token } = await setup();
    await schedule(emu, token);
    await schedule(emu, token, { name: "Other" });
    expect((await call(emu, "POST", "/schedules/Other/delete", undefined, { token })).status).toBe(204);
    await advance(emu, HOUR);
    expect((await outbox(emu)).messages.map((m: any) => m.schedule.name)).toEqual(["Morning revenue"]);
    await emu.reset();
    await advance(emu, DAY);
    expect((await outbox(emu)).total).toBe(0);
    const fresh = await longLogin(emu);
    expect((await call(emu, "POST", "/schedules/search", {}, { token: fresh })).body).toEqual([]);
  });

  it("fires in the schedule's time zone", async () => {
    const { emu, token } = await setup();
    // 09:00 in Los Angeles is 17:00 UTC in February
    await schedule(emu, token, { time_zone: "America/Los_Angeles", frequency: daily(9) });
    await advance(emu, 8 * HOUR - 1);
    expect((await outbox(emu)).total).toBe(0);
    await advance(emu, 1);
    expect((await outbox(emu)).messages[0].sent_iso).toBe("2026-02-26T17:00:00.000Z");
  });
});

describe("schedules on disk", () => {
  const dirs = tempDirs("emu-schedules-");
  afterEach(() => dirs.removeAll());

  async function open(dataDir: string, at: number, options: EmulatorOptions = {}) {
    const emu = await emulator({ dataDir, clock: frozenClock(at), ...options });
    closers.push(() => emu.close());
    await emu.clock.settled();
    return { emu, token: await longLogin(emu) };
  }

  it("keep their records and runs across a restart", async () => {
    const dir = dirs.make();
    const first = await open(dir, T0);
    const s = await schedule(first.emu, first.token);
    await advance(first.emu, HOUR);
    const runs = await runsOf(first.emu, first.token, "Morning revenue");
    expect(runs).toHaveLength(1);
    await first.emu.close();
    const again = await open(dir, T0 + HOUR);
    const [found] = (await call(again.emu, "POST", "/schedules/search", {}, { token: again.token })).body;
    expect(found).toEqual(s);
    expect(await runsOf(again.emu, again.token, "Morning revenue")).toEqual(runs);
    // and it goes on from its last run
    await advance(again.emu, DAY);
    expect(await runsOf(again.emu, again.token, "Morning revenue")).toHaveLength(2);
  });

  it("fire one catch-up run per schedule at start-up for the runs missed while stopped (the latest), counting the others", async () => {
    const dir = dirs.make();
    const first = await open(dir, T0);
    await schedule(first.emu, first.token);
    await schedule(first.emu, first.token, { name: "Paused", frequency: daily(11) });
    expect((await call(first.emu, "POST", "/schedules/Paused/update", { status: "PAUSE" }, { token: first.token })).status).toBe(204);
    await first.emu.close();
    // Stopped from Thursday 09:00 to Sunday 11:00: the 10:00 runs of Thu, Fri, Sat and Sun were missed.
    const later = await open(dir, T0 + 3 * DAY + 2 * HOUR);
    const box = (await call(later.emu, "GET", "/_emulator/outbox")).body;
    expect(box.messages.map((m: any) => [m.schedule.name, m.sent_iso])).toEqual([["Morning revenue", "2026-03-01T10:00:00.000Z"]]);
    const state = (await call(later.emu, "GET", "/_emulator/state")).body.schedules;
    expect(state.map((x: any) => [x.name, x.skipped_runs])).toEqual([
      ["Morning revenue", 3],
      ["Paused", 0],
    ]);
    // from then on, every due run fires again
    await advance(later.emu, DAY);
    expect((await call(later.emu, "GET", "/_emulator/outbox")).body.total).toBe(2);
  });

  it("of a namespace seeded from fixtures count from its first use, not from when the fixture was written", async () => {
    const fixtures = readFixtures();
    fixtures.schedules = [
      {
        id: "3c1f0e4a-5b6d-4c7e-8f90-a1b2c3d4e5f6",
        name: "Fixture schedule",
        description: "from the fixtures",
        org: { id: String(ORG1), name: "testOrg1" },
        author: { id: userId("tsadmin"), name: "tsadmin" },
        creation_time_in_millis: Date.UTC(2025, 0, 1),
        modification_time_in_millis: Date.UTC(2025, 0, 1),
        metadata: { id: REGIONAL.id, name: "Regional Revenue", type: "LIVEBOARD" },
        file_format: "PDF",
        liveboard_options: null,
        pdf_options: null,
        time_zone: "Etc/UTC",
        frequency: daily(10),
        recipient_details: { emails: ["team@example.com"], principals: [] },
        status: "ACTIVE",
        personalised_view_id: null,
        runs_from: Date.UTC(2025, 0, 1),
      },
    ];
    const { emu } = await setup({ fixtures });
    await advance(emu, 0);
    expect((await call(emu, "GET", "/_emulator/outbox")).body.total).toBe(0);
    await advance(emu, HOUR);
    expect((await call(emu, "GET", "/_emulator/outbox")).body.messages.map((m: any) => m.schedule.name)).toEqual(["Fixture schedule"]);
  });
});

describe("synthesized history and the schedules API", () => {
  const synthesize = (emu: Emulator, token: string, channel: string) =>
    call(
      emu,
      "POST",
      "/_emulator/jobs/synthesize",
      { channel_identifier: channel, days: 3, runs_per_day: 12, failure_rate: 0.1, retry_rate: 0.1 },
      { token },
    );

  it("makes the schedules it invents the org's schedules: schedules/search returns every schedule the history names, PAUSED", async () => {
    const { emu, token } = await setup();
    const hook = await createWebhook(emu, token, { name: "Ops" });
    expect((await synthesize(emu, token, hook.id)).status).toBe(200);
    const jobs = await historyOf(emu, token, hook.id);
    const named = new Map(jobs.map((j) => [j.event.id, j.event.name]));
    expect(named.size).toBeGreaterThanOrEqual(2);
    const found = (await call(emu, "POST", "/schedules/search", {}, { token })).body as any[];
    expect(new Map(found.map((s) => [s.id, s.name]))).toEqual(named);
    for (const s of found) {
      expect(s).toMatchObject({ status: "PAUSED", metadata: { type: "LIVEBOARD" } });
      expect(["Regional Revenue", "Support Tickets"]).toContain(s.metadata.name);
    }
    // PAUSED: moving the clock sends nothing (the newest job stays the newest)
    await advance(emu, DAY);
    expect((await historyOf(emu, token, hook.id))[0].id).toBe(jobs[0].id);
  });

  it("uses the org's own schedules, their ids, names and recipients, when it has some", async () => {
    const { emu, token } = await setup();
    const hook = await createWebhook(emu, token, { name: "Ops" });
    const s = await schedule(emu, token);
    expect((await synthesize(emu, token, hook.id)).status).toBe(200);
    const jobs = await historyOf(emu, token, hook.id);
    expect(jobs.length).toBeGreaterThan(20);
    for (const j of jobs) {
      expect(j.event).toMatchObject({ id: s.id, name: "Morning revenue" });
      expect(j.recipients.map((r: any) => r.email)).toEqual(["analyst@example.com", "cfo@example.com"]);
    }
    expect((await call(emu, "POST", "/schedules/search", {}, { token })).body).toHaveLength(1);
  });

  it("resumes an invented schedule like any other: it then fires through the org's channels", async () => {
    const rx = await startReceiver();
    const { emu, token } = await setup();
    await channels(emu, token, orgChannels(["WEBHOOK"]));
    const hook = await createWebhook(emu, token, { name: "Ops", url: rx.url });
    await synthesize(emu, token, hook.id);
    const [first] = (await call(emu, "POST", "/schedules/search", {}, { token })).body;
    expect((await call(emu, "POST", `/schedules/${first.id}/update`, { status: "ACTIVE" }, { token })).status).toBe(204);
    await advance(emu, DAY);
    expect(rx.requests.length).toBeGreaterThan(0);
    const newest = (await historyOf(emu, token, hook.id))[0];
    expect(newest.event).toMatchObject({ id: first.id, name: first.name });
  });
});

describe("scheduled runs under a seed and a frozen clock", () => {
  /** A whole scheduled session: webhook, two schedules, a 500 then success, three days of runs. */
  async function session() {
    const rx = await startReceiver({ statuses: [500, 200] });
    const { emu, token } = await setup({ seed: 77 });
    await channels(emu, token, orgChannels(["WEBHOOK", "EMAIL"]));
    const hook = await createWebhook(emu, token, { name: "Ops", url: rx.url });
    await schedule(emu, token);
    await schedule(emu, token, { name: "Evening", frequency: daily(18, 30), file_format: "CSV" });
    await advance(emu, 3 * DAY);
    await advance(emu, 10_000);
    const search = await call(
      emu,
      "POST",
      "/schedules/search",
      { history_runs_options: { include_history_runs: true, record_size: 10 } },
      { token },
    );
    const history = await call(
      emu,
      "POST",
      "/jobs/history/communication-channels/search",
      { channel_type: "WEBHOOK", channel_identifiers: [hook.id], events: [{ type: "LIVEBOARD_SCHEDULE" }] },
      { token },
    );
    const box = await call(emu, "GET", "/_emulator/outbox");
    const payloads = rx.requests.map((r) => partsByName(r).payload.body);
    return { history: history.text, search: search.text, outbox: box.text, payloads, jobs: history.body.jobs };
  }

  it("gives byte-identical history, schedule runs, e-mails and payloads in two runs", async () => {
    const a = await session();
    const b = await session();
    expect(a.jobs.length).toBe(6);
    expect(a.jobs.map((j: any) => j.status)).toEqual(Array(6).fill("SUCCESS"));
    expect(a.jobs.at(-1).try_count).toBe(2);
    expect(b.history).toBe(a.history);
    expect(b.search).toBe(a.search);
    expect(b.outbox).toBe(a.outbox);
    expect(b.payloads).toEqual(a.payloads);
  });
});

describe("the outbox", () => {
  it("answers a long poll with the next e-mail when a run sends it, and the in-process handle waits for it too", async () => {
    const { emu, token } = await setup();
    await schedule(emu, token);
    const polled = call(emu, "GET", "/_emulator/outbox?wait_ms=5000");
    const handled = emu.outbox.waitFor({ schedule: "Morning revenue" });
    await advance(emu, HOUR);
    const [res, mail] = await Promise.all([polled, handled]);
    expect(res.body.messages.map((m: any) => m.subject)).toEqual(["Morning revenue: Regional Revenue"]);
    expect(mail).toEqual(res.body.messages[0]);
    // nothing newer: a poll after it ends empty when its time is up
    const after = await call(emu, "GET", `/_emulator/outbox?after=${mail.id}&wait_ms=50`);
    expect(after.body.messages).toEqual([]);
    expect((await call(emu, "DELETE", "/_emulator/outbox")).body).toEqual({ cleared: 1 });
  });
});

const runNow = (emu: Emulator, ident: string, opts: { org?: string; headers?: Record<string, string> } = {}) =>
  call(emu, "POST", `/_emulator/schedules/${encodeURIComponent(ident)}/run${opts.org ? `?org=${opts.org}` : ""}`, undefined, {
    headers: opts.headers ?? {},
  });

/** A frozen clock whose alarms can be held back: a run the clock has reached, not fired yet. */
function holdingClock() {
  const real = frozenClock();
  const held: (() => void)[] = [];
  let holding = false;
  const at: Clock["at"] = (time, fn, opts) => real.at(time, () => (holding ? held.push(fn) : fn()), opts);
  const clock = new Proxy(real, {
    get: (t, k) => {
      if (k === "at") return at;
      const v = Reflect.get(t, k);
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
  return {
    clock,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const fn of held.splice(0)) fn();
    },
    held: () => held.length,
  };
}

describe("running a schedule now (POST /_emulator/schedules/:schedule/run)", () => {
  it("fires an ACTIVE schedule at the clock's now through the org's channels, and its next regular run still fires when the clock gets there", async () => {
    const rx = await startReceiver();
    const { emu, token } = await setup();
    await channels(emu, token, orgChannels(["WEBHOOK", "EMAIL"]));
    const hook = await createWebhook(emu, token, { name: "Ops", url: rx.url });
    const s = await schedule(emu, token);
    await advance(emu, HOUR / 2); // 09:30, the regular run is at 10:00
    const res = await runNow(emu, "Morning revenue");
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      run_id: expect.any(String),
      schedule: { id: s.id, name: "Morning revenue" },
      org: { id: String(ORG1), name: "testOrg1" },
      liveboard: { id: REGIONAL.id, name: "Regional Revenue" },
      schedule_status: "ACTIVE",
      channels: ["WEBHOOK", "EMAIL"],
      run: {
        id: res.body.run_id,
        scheduled_time_in_millis: T0 + HOUR / 2,
        start_time_in_millis: T0 + HOUR / 2,
        end_time_in_millis: T0 + HOUR / 2,
        status: "RUNNING",
        detail: null,
        run_now: true,
      },
    });
    await advance(emu, 0); // its deliveries are done
    expect(rx.requests).toHaveLength(1);
    expect(JSON.parse(partsByName(rx.requests[0]!).payload.body).timestamp).toBe("2026-02-26T09:30:00Z");
    expect((await historyOf(emu, token, hook.id)).map((j) => [j.status, j.event.run_id])).toEqual([["SUCCESS", res.body.run_id]]);
    expect((await outbox(emu)).messages.map((m: any) => [m.run_id, m.sent_iso])).toEqual([[res.body.run_id, "2026-02-26T09:30:00.000Z"]]);
    expect(await runsOf(emu, token, "Morning revenue")).toEqual([
      {
        id: res.body.run_id,
        start_time_in_millis: T0 + HOUR / 2,
        end_time_in_millis: T0 + HOUR / 2,
        status: "SUCCESS",
        detail: "Scheduled updates generated as expected.",
      },
    ]);
    const [state] = (await call(emu, "GET", "/_emulator/state")).body.schedules;
    expect(state).toMatchObject({ next_run_time_in_millis: T0 + HOUR, history_runs: [{ id: res.body.run_id, status: "SUCCESS" }] });
    // 10:00: the regular run, once
    await advance(emu, HOUR / 2);
    expect(rx.requests).toHaveLength(2);
    expect(JSON.parse(partsByName(rx.requests[1]!).payload.body).timestamp).toBe("2026-02-26T10:00:00Z");
    expect((await outbox(emu)).total).toBe(2);
    await advance(emu, HOUR);
    expect(rx.requests).toHaveLength(2);
  });

  it("runs a PAUSED schedule too, and it stays paused (no regular run fires)", async () => {
    const { emu, token } = await setup();
    await schedule(emu, token);
    expect((await call(emu, "POST", "/schedules/Morning revenue/update", { status: "PAUSE" }, { token })).status).toBe(204);
    const res = await runNow(emu, "Morning revenue");
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ schedule_status: "PAUSED", channels: ["EMAIL"], run: { status: "RUNNING" } });
    await advance(emu, 0);
    const box = await outbox(emu);
    expect(box.messages.map((m: any) => [m.schedule.name, m.sent_at, m.to])).toEqual([
      ["Morning revenue", T0, ["analyst@example.com", "cfo@example.com"]],
    ]);
    expect((await runsOf(emu, token, "Morning revenue"))[0]).toMatchObject({ id: res.body.run_id, status: "SUCCESS" });
    await advance(emu, DAY);
    expect((await outbox(emu)).total).toBe(1);
    const [state] = (await call(emu, "GET", "/_emulator/state")).body.schedules;
    expect(state).toMatchObject({ status: "PAUSED", next_run_time_in_millis: null });
  });

  it("records a FAILED run with the reason when the org's channel cannot deliver", async () => {
    const { emu, token } = await setup();
    await channels(emu, token, orgChannels(["WEBHOOK"]));
    await schedule(emu, token);
    const res = await runNow(emu, "Morning revenue");
    expect(res.status, res.text).toBe(200);
    await advance(emu, 0);
    expect((await runsOf(emu, token, "Morning revenue"))[0]).toEqual({
      id: res.body.run_id,
      start_time_in_millis: T0,
      end_time_in_millis: T0,
      status: "FAILED",
      detail: "WEBHOOK: no webhook of org 'testOrg1' subscribes to LIVEBOARD_SCHEDULE.",
    });
  });

  it("does not make a regular run that is due but not yet fired be skipped (run-now runs stay out of the watermark)", async () => {
    const h = holdingClock();
    const { emu, token } = await setup({ clock: h.clock });
    await schedule(emu, token);
    h.hold();
    h.clock.set(T0 + HOUR + 30_000); // 10:00:30: the 10:00 run is due, its alarm held back
    await advance(emu, 0);
    expect(h.held()).toBe(1);
    expect((await runNow(emu, "Morning revenue")).status).toBe(200);
    await advance(emu, 0);
    h.release();
    await advance(emu, 0);
    const box = await outbox(emu);
    expect(box.messages.map((m: any) => m.sent_iso).sort()).toEqual(["2026-02-26T10:00:00.000Z", "2026-02-26T10:00:30.000Z"]);
    await advance(emu, DAY);
    expect((await outbox(emu)).total).toBe(3);
  });

  it("keeps the regular runs due when they were after more run-now runs than a schedule keeps (none fires twice)", async () => {
    const { emu, token } = await setup();
    await schedule(emu, token);
    await advance(emu, HOUR); // the 10:00 run
    for (let i = 0; i < 101; i++) expect((await runNow(emu, "Morning revenue")).status).toBe(200);
    await advance(emu, 0);
    expect((await outbox(emu)).total).toBe(102);
    const runs = await runsOf(emu, token, "Morning revenue");
    expect(runs).toHaveLength(100);
    expect(runs.at(-1)).toMatchObject({ start_time_in_millis: T0 + HOUR });
    await advance(emu, DAY); // the next day's 10:00 run, and only it
    const box = await outbox(emu);
    expect(box.total).toBe(103);
    expect(box.messages[0].sent_iso).toBe("2026-02-27T10:00:00.000Z");
  });

  it("finds a schedule by id or name, and by name in one org when several orgs use it (?org=)", async () => {
    const { emu, token } = await setup();
    const s = await schedule(emu, token);
    const primary = await login(emu, "admin");
    const other = await call(
      emu,
      "POST",
      "/schedules/create",
      {
        name: "Morning revenue",
        description: "the same name in Primary",
        metadata_type: "LIVEBOARD",
        metadata_identifier: "Sales Overview",
        time_zone: "Etc/UTC",
        recipient_details: { emails: ["ceo@example.com"] },
      },
      { token: primary },
    );
    expect(other.status, other.text).toBe(200);
    expect((await runNow(emu, s.id)).body.schedule).toEqual({ id: s.id, name: "Morning revenue" });
    const both = await runNow(emu, "Morning revenue");
    expect(both.status).toBe(400);
    expect(debugText(both.body)).toBe(
      `Schedule name 'Morning revenue' is used in several orgs: 'testOrg1' (${ORG1}), 'Primary' (0). Give its id, or the org with ?org=.`,
    );
    expect((await runNow(emu, "Morning revenue", { org: "Primary" })).body.schedule.id).toBe(other.body.id);
    expect((await runNow(emu, "Morning revenue", { org: String(ORG1) })).body.schedule.id).toBe(s.id);
  });

  it("answers 400 in the admin error shape for an unknown schedule or org, firing nothing", async () => {
    const { emu, token } = await setup();
    await schedule(emu, token);
    const unknown = await runNow(emu, "Evening revenue");
    expect(unknown.status).toBe(400);
    expect(errorCode(unknown.body)).toBe(10002);
    expect(debugText(unknown.body)).toBe("Schedule 'Evening revenue' does not exist in namespace 'default' (give its id or its name).");
    const noOrg = await runNow(emu, "Morning revenue", { org: "Nowhere" });
    expect(debugText(noOrg.body)).toBe("Org 'Nowhere' does not exist in namespace 'default'.");
    const wrongOrg = await runNow(emu, "Morning revenue", { org: "Primary" });
    expect(debugText(wrongOrg.body)).toBe(
      "Schedule 'Morning revenue' does not exist in org 'Primary' of namespace 'default' (give its id or its name).",
    );
    await advance(emu, 0);
    expect((await outbox(emu)).total).toBe(0);
  });

  it("follows the admin surface's rules: a foreign Origin is refused (403), and with an admin token it needs the token (401)", async () => {
    const { emu, token } = await setup({ adminToken: "sched-admin" });
    await schedule(emu, token);
    const auth = { "x-emulator-admin-token": "sched-admin" };
    const foreign = await runNow(emu, "Morning revenue", { headers: { ...auth, origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect(debugText(foreign.body)).toContain('Origin "https://evil.example" may not call the emulator\'s admin routes');
    const missing = await runNow(emu, "Morning revenue");
    expect(missing.status).toBe(401);
    expect(errorCode(missing.body)).toBe(10097);
    const form = await call(emu, "POST", "/_emulator/schedules/Morning%20revenue/run", undefined, {
      raw: "x=1",
      headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const box = await call(emu, "GET", "/_emulator/outbox", undefined, { headers: auth });
    expect(box.body.total).toBe(0);
    const own = await runNow(emu, "Morning revenue", { headers: { ...auth, origin: "http://localhost:5173" } });
    expect(own.status, own.text).toBe(200);
  });
});
