import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import { MESSAGES } from "../../src/schemas/messages.js";
import {
  type CallOptions,
  call,
  debugText,
  emulator,
  errorCode,
  FIXTURES,
  frozenClock,
  login,
  readFixtures,
  T0,
  userId,
} from "../support/index.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const board = (name: string) => FIXTURES.liveboards.find((b: { name: string }) => b.name === name);
const SALES = board("Sales Overview");
const ADMIN_ID = userId("tsadmin");
const ANALYST_ID = userId("analyst");

/** The minimal create body of the SDK's own test data, on a fixture Liveboard. */
const MINIMAL = {
  name: "testing9",
  description: "testing9",
  metadata_type: "LIVEBOARD",
  metadata_identifier: "Sales Overview",
  time_zone: "America/Los_Angeles",
  recipient_details: { emails: ["tsadmin@example.com"] },
};

async function setup(options: Parameters<typeof emulator>[0] = {}) {
  const emu = await emulator({ clock: frozenClock(), ...options });
  return { emu, token: await login(emu, "admin") };
}

const create = (emu: Emulator, token: string, body: Record<string, unknown>, opts: CallOptions = {}) =>
  call(emu, "POST", "/schedules/create", body, { ...opts, token });
const search = (emu: Emulator, token: string, body: Record<string, unknown> = {}) =>
  call(emu, "POST", "/schedules/search", body, { token });

async function created(emu: Emulator, token: string, body: Record<string, unknown>) {
  const res = await create(emu, token, body);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

function expect400(res: { status: number; body: any; text: string }, text: string | RegExp) {
  expect(res.status, res.text).toBe(400);
  expect(errorCode(res.body)).toBe(10002);
  if (typeof text === "string") expect(debugText(res.body)).toContain(text);
  else expect(debugText(res.body)).toMatch(text);
}

function expect403(res: { status: number; body: any; text: string }, text: string) {
  expect(res.status, res.text).toBe(403);
  expect(errorCode(res.body)).toBe(10023);
  expect(debugText(res.body)).toBe(text);
}

describe("creating a schedule", () => {
  it("answers the schedule in the ResponseSchedule shape, with the defaults of what was left out", async () => {
    const { emu, token } = await setup();
    const res = await create(emu, token, MINIMAL);
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual([
      "author",
      "creation_time_in_millis",
      "description",
      "file_format",
      "frequency",
      "id",
      "liveboard_options",
      "metadata",
      "name",
      "pdf_options",
      "recipient_details",
      "status",
      "time_zone",
      "history_runs",
      "personalised_view_id",
    ]);
    expect(res.body).toEqual({
      author: { id: ADMIN_ID, name: "tsadmin" },
      creation_time_in_millis: T0,
      description: "testing9",
      file_format: "PDF",
      frequency: { cron_expression: { second: "0", minute: "0", hour: "8", day_of_month: "*", month: "*", day_of_week: "*" } },
      id: expect.stringMatching(UUID_V4),
      liveboard_options: null,
      metadata: { id: SALES.id, name: "Sales Overview", type: "LIVEBOARD" },
      name: "testing9",
      pdf_options: null,
      recipient_details: { emails: ["tsadmin@example.com"], principals: [] },
      status: "ACTIVE",
      time_zone: "America/Los_Angeles",
      history_runs: null,
      personalised_view_id: null,
    });
  });

  it("takes the Liveboard, its visualizations, its view and the users by id or name and answers their ids", async () => {
    const { emu, token } = await setup();
    const body = await created(emu, token, {
      ...MINIMAL,
      metadata_identifier: SALES.id,
      file_format: "CSV",
      liveboard_options: { visualization_identifiers: ["Pipeline by Stage", SALES.visualizations[0].id] },
      personalised_view_id: "Team view",
      pdf_options: { page_orientation: "PORTRAIT", include_cover_page: true },
      frequency: { cron_expression: { second: "0", minute: "00", hour: "08", day_of_month: "?", month: "*", day_of_week: "MON-FRI" } },
      recipient_details: {
        emails: ["ops@example.com"],
        principals: [
          { identifier: "analyst", type: "USER" },
          { identifier: "Sales", type: "USER_GROUP" },
        ],
      },
    });
    expect(body).toMatchObject({
      file_format: "CSV",
      liveboard_options: { visualization_identifiers: [SALES.visualizations[1].id, SALES.visualizations[0].id] },
      personalised_view_id: SALES.views[0].id,
      frequency: { cron_expression: { minute: "00", hour: "08", day_of_month: "?", day_of_week: "MON-FRI" } },
      recipient_details: {
        emails: ["ops@example.com"],
        principals: [
          { identifier: ANALYST_ID, type: "USER" },
          { identifier: "Sales", type: "USER_GROUP" },
        ],
      },
    });
    // every PDF option is printed, null where not given
    expect(body.pdf_options).toEqual({
      complete_liveboard: null,
      include_cover_page: true,
      include_custom_logo: null,
      include_filter_page: null,
      include_page_number: null,
      page_footer_text: null,
      page_orientation: "PORTRAIT",
      page_size: null,
      truncate_table: null,
    });
  });

  it.each(["name", "description", "metadata_type", "metadata_identifier", "time_zone", "recipient_details"])(
    "refuses a body without %s (or with it null), naming the field",
    async (field) => {
      const { emu, token } = await setup();
      const { [field as keyof typeof MINIMAL]: _gone, ...rest } = MINIMAL;
      expect400(await create(emu, token, rest), `'${field}'`);
      expect400(await create(emu, token, { ...rest, [field]: null }), `'${field}'`);
    },
  );

  it.each([
    [{ metadata_type: "random" }, "'metadata_type'"],
    [{ metadata_identifier: "No Such Liveboard" }, "Liveboard with the specified metadata_identifier was not found."],
    [{ time_zone: "Mars/Olympus_Mons" }, "is not a known time zone"],
    [{ file_format: "DOCX" }, "'file_format'"],
    [{ frequency: {} }, "'frequency.cron_expression'"],
    [
      { frequency: { cron_expression: { second: "0", minute: "0", hour: "8", month: "*", day_of_week: "*" } } },
      "'frequency.cron_expression.day_of_month'",
    ],
    [
      { frequency: { cron_expression: { second: "0", minute: "0", hour: "8", day_of_month: "L", month: "*", day_of_week: "?" } } },
      "Invalid value for field 'frequency.cron_expression.day_of_month': 'L' is not supported",
    ],
    [
      { frequency: { cron_expression: { second: "0", minute: "0", hour: "8", day_of_month: "30", month: "2", day_of_week: "?" } } },
      "matches no date",
    ],
    [{ recipient_details: {} }, "recipient_details must name at least one recipient"],
    [{ recipient_details: { emails: ["not-an-address"] } }, "'recipient_details.emails[0]': not an e-mail address"],
    [
      { recipient_details: { principals: [{ identifier: "nobody", type: "USER" }] } },
      "User 'nobody' in recipient_details.principals was not found",
    ],
    [{ recipient_details: { principals: [{ identifier: "tsadmin", type: "ROBOT" }] } }, "'recipient_details.principals[0].type'"],
    [
      { liveboard_options: { visualization_identifiers: ["Churn"] } },
      "Visualization 'Churn' in liveboard_options.visualization_identifiers is not on Liveboard 'Sales Overview'.",
    ],
    [{ personalised_view_id: "EMEA" }, "personalised_view_id 'EMEA' is not a personalised view of Liveboard 'Sales Overview'."],
  ])("refuses %j with a 400 saying why", async (over, text) => {
    const { emu, token } = await setup();
    expect400(await create(emu, token, { ...MINIMAL, ...over }), text);
  });

  it("refuses a second schedule of the same name in the org, not in another org", async () => {
    const { emu, token } = await setup();
    await created(emu, token, MINIMAL);
    expect400(await create(emu, token, MINIMAL), "A schedule with the name 'testing9' already exists in this org.");
    const org1 = await login(emu, "admin", 2100019165);
    expect((await create(emu, org1, { ...MINIMAL, metadata_identifier: "Regional Revenue" })).status).toBe(200);
  });

  it("makes schedules in the caller's org only: a Liveboard of another org is not found", async () => {
    const { emu, token } = await setup();
    expect400(await create(emu, token, { ...MINIMAL, metadata_identifier: "Regional Revenue" }), "was not found");
  });
});

/** The default fixtures with a user who holds JOBSCHEDULING ("Can schedule for others"). */
function withScheduler() {
  const fixtures = readFixtures();
  fixtures.users.push({
    id: "5c4b3a29-1807-4f6e-9d5c-4b3a29180716",
    name: "scheduler",
    display_name: "Sam Scheduler",
    email: "scheduler@example.com",
    password: "scheduler",
    privileges: ["JOBSCHEDULING"],
    orgs: ["0"],
    default_org: "0",
  });
  fixtures.liveboards[0].shared_with.push({ user: "scheduler", access: "MODIFY" });
  return fixtures;
}

const loginAs = async (emu: Emulator, username: string, password: string) => {
  const res = await call(emu, "POST", "/auth/token/full", { username, password });
  expect(res.status, res.text).toBe(200);
  return res.body.token as string;
};

describe("who may schedule what", () => {
  const self = (user: string) => ({ principals: [{ identifier: user, type: "USER" }] });

  it("lets any user schedule a Liveboard they may edit for themselves, by user name or their own e-mail", async () => {
    const { emu } = await setup();
    const analyst = await login(emu, "analyst");
    const own = await create(emu, analyst, { ...MINIMAL, recipient_details: self("analyst") });
    expect(own.status, own.text).toBe(200);
    expect(own.body.author).toEqual({ id: ANALYST_ID, name: "analyst" });
    const mail = await create(emu, analyst, { ...MINIMAL, name: "by mail", recipient_details: { emails: ["analyst@example.com"] } });
    expect(mail.status, mail.text).toBe(200);
  });

  it("forbids a Liveboard shared READ_ONLY and hides one not shared at all", async () => {
    const { emu } = await setup();
    const analyst = await login(emu, "analyst");
    expect403(
      await create(emu, analyst, { ...MINIMAL, metadata_identifier: "Executive KPIs", recipient_details: self("analyst") }),
      MESSAGES.createSchedule[403],
    );
    const developer = await login(emu, "developer");
    expect400(
      await create(emu, developer, { ...MINIMAL, metadata_identifier: "Executive KPIs", recipient_details: self("developer") }),
      "Liveboard with the specified metadata_identifier was not found.",
    );
  });

  it("forbids other recipients without ADMINISTRATION or JOBSCHEDULING, and allows them with JOBSCHEDULING", async () => {
    const { emu } = await setup({ fixtures: withScheduler() });
    const analyst = await login(emu, "analyst");
    for (const recipients of [
      self("tsadmin"),
      { emails: ["someone@example.com"] },
      { principals: [{ identifier: "Sales", type: "USER_GROUP" }] },
    ]) {
      expect403(await create(emu, analyst, { ...MINIMAL, recipient_details: recipients }), MESSAGES.createSchedule[403]);
    }
    const scheduler = await loginAs(emu, "scheduler", "scheduler");
    const res = await create(emu, scheduler, { ...MINIMAL, recipient_details: { emails: ["someone@example.com"], ...self("analyst") } });
    expect(res.status, res.text).toBe(200);
  });

  it("lets an update add other recipients only with ADMINISTRATION or JOBSCHEDULING", async () => {
    const { emu, token } = await setup();
    const analyst = await login(emu, "analyst");
    await created(emu, analyst, { ...MINIMAL, recipient_details: self("analyst") });
    const path = "/schedules/testing9/update";
    expect((await call(emu, "POST", path, { description: "mine" }, { token: analyst })).status).toBe(204);
    expect403(await call(emu, "POST", path, { recipient_details: self("tsadmin") }, { token: analyst }), MESSAGES.updateSchedule[403]);
    expect((await call(emu, "POST", path, { recipient_details: self("tsadmin") }, { token })).status).toBe(204);
    // now the schedule goes to someone else: changing it at all is scheduling for others
    expect403(await call(emu, "POST", path, { description: "again" }, { token: analyst }), MESSAGES.updateSchedule[403]);
  });

  it("lets edit access, ADMINISTRATION or JOBSCHEDULING delete a schedule, and nobody else", async () => {
    const fixtures = withScheduler();
    const { emu, token } = await setup({ fixtures });
    await created(emu, token, { ...MINIMAL, metadata_identifier: "Executive KPIs" });
    const analyst = await login(emu, "analyst"); // READ_ONLY on Executive KPIs
    expect403(await call(emu, "POST", "/schedules/testing9/delete", undefined, { token: analyst }), MESSAGES.deleteSchedule[403]);
    const scheduler = await loginAs(emu, "scheduler", "scheduler"); // no access to it, but JOBSCHEDULING
    expect((await call(emu, "POST", "/schedules/testing9/delete", undefined, { token: scheduler })).status).toBe(204);
    expect(await search(emu, token)).toMatchObject({ status: 200, body: [] });
  });
});

describe("searching schedules", () => {
  async function three(emu: Emulator, token: string, clock: ReturnType<typeof frozenClock>) {
    for (const [name, lb] of [
      ["Weekly Sales Review", "Sales Overview"],
      ["Board KPIs", "Executive KPIs"],
      ["apac pipeline", "Sales Overview"],
    ]) {
      await created(emu, token, { ...MINIMAL, name, metadata_identifier: lb });
      clock.advance(1000);
    }
  }

  it("lists the org's schedules newest first; record_size -1 (the default) means all", async () => {
    const clock = frozenClock();
    const { emu, token } = await setup({ clock });
    await three(emu, token, clock);
    const all = await search(emu, token, {});
    expect(all.status).toBe(200);
    expect(all.body.map((s: any) => s.name)).toEqual(["apac pipeline", "Board KPIs", "Weekly Sales Review"]);
    const page = await search(emu, token, { record_offset: 1, record_size: 1 });
    expect(page.body.map((s: any) => s.name)).toEqual(["Board KPIs"]);
    // another org has none
    expect((await search(emu, await login(emu, "admin", 2100019165))).body).toEqual([]);
  });

  it("filters by Liveboard and by schedule id or name before paging, and sorts by NAME", async () => {
    const clock = frozenClock();
    const { emu, token } = await setup({ clock });
    await three(emu, token, clock);
    const bySales = await search(emu, token, {
      metadata: [{ identifier: "Sales Overview", type: "LIVEBOARD" }],
      sort_options: { field_name: "NAME", order: "ASC" },
    });
    expect(bySales.body.map((s: any) => s.name)).toEqual(["apac pipeline", "Weekly Sales Review"]);
    const id = bySales.body[1].id;
    const byIdent = await search(emu, token, { schedule_identifiers: [id, "Board KPIs"], record_size: 1, record_offset: 0 });
    expect(byIdent.body.map((s: any) => s.name)).toEqual(["Board KPIs"]);
  });

  it("shows a user the schedules of the Liveboards they may see, whoever made them", async () => {
    const clock = frozenClock();
    const { emu, token } = await setup({ clock });
    await three(emu, token, clock);
    const developer = await login(emu, "developer"); // Sales Overview only
    expect((await search(emu, developer)).body.map((s: any) => s.name)).toEqual(["apac pipeline", "Weekly Sales Review"]);
    expect400(await search(emu, developer, { metadata: [{ identifier: "Executive KPIs" }] }), "was not found");
  });

  it.each([
    [{ sort_options: { field_name: "random", order: "xyz" } }, "'sort_options.field_name'"],
    [{ metadata: [{ identifier: "testing9", type: "random" }] }, "'metadata[0].type'"],
    [{ metadata: [{}] }, "'metadata[0].identifier'"],
    [{ record_size: 0 }, "record_size must be -1"],
    [{ record_offset: -1 }, "record_offset must be zero"],
  ])("refuses %j", async (body, text) => {
    const { emu, token } = await setup();
    expect400(await search(emu, token, body), text);
  });
});

describe("updating and deleting", () => {
  it("changes the fields given and keeps the others", async () => {
    const clock = frozenClock();
    const { emu, token } = await setup({ clock });
    const before = await created(emu, token, { ...MINIMAL, pdf_options: { page_size: "A4" } });
    clock.advance(5000);
    const res = await call(
      emu,
      "POST",
      `/schedules/${before.id}/update`,
      { description: "changed", file_format: "XLSX", time_zone: "Europe/Warsaw", metadata_identifier: "Executive KPIs" },
      { token },
    );
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe("");
    const [after] = (await search(emu, token)).body;
    expect(after).toEqual({
      ...before,
      description: "changed",
      file_format: "XLSX",
      time_zone: "Europe/Warsaw",
      metadata: { id: board("Executive KPIs").id, name: "Executive KPIs", type: "LIVEBOARD" },
    });
  });

  it("pauses with PAUSE (search answers PAUSED) and resumes with ACTIVE; PAUSED is taken as PAUSE", async () => {
    const { emu, token } = await setup();
    await created(emu, token, MINIMAL);
    const status = async () => (await search(emu, token)).body[0].status;
    expect((await call(emu, "POST", "/schedules/testing9/update", { status: "PAUSE" }, { token })).status).toBe(204);
    expect(await status()).toBe("PAUSED");
    expect((await call(emu, "POST", "/schedules/testing9/update", { status: "ACTIVE" }, { token })).status).toBe(204);
    expect(await status()).toBe("ACTIVE");
    expect((await call(emu, "POST", "/schedules/testing9/update", { status: "PAUSED" }, { token })).status).toBe(204);
    expect(await status()).toBe("PAUSED");
    expect400(await call(emu, "POST", "/schedules/testing9/update", { status: "random" }, { token }), "'status'");
  });

  it("answers 400 code 10002 (never 404) for a schedule that does not exist, and deletes one by name with 204", async () => {
    const { emu, token } = await setup();
    expect400(await call(emu, "POST", "/schedules/random/update", {}, { token }), "Schedule with the specified identifier was not found.");
    expect400(
      await call(emu, "POST", "/schedules/random/delete", undefined, { token }),
      "Schedule with the specified identifier was not found.",
    );
    await created(emu, token, MINIMAL);
    // TSRestApiV2 sends the identifier in a body too: it is ignored
    const gone = await call(emu, "POST", "/schedules/testing9/delete", { schedule_identifier: "testing9" }, { token });
    expect(gone.status, gone.text).toBe(204);
    expect((await search(emu, token)).body).toEqual([]);
  });

  it("accepts an empty update and the SDK's update of every cron field to 1", async () => {
    const { emu, token } = await setup();
    await created(emu, token, MINIMAL);
    expect((await call(emu, "POST", "/schedules/testing9/update", {}, { token })).status).toBe(204);
    const all1 = { day_of_month: "1", day_of_week: "1", hour: "1", minute: "1", month: "1", second: "1" };
    expect((await call(emu, "POST", "/schedules/testing9/update", { frequency: { cron_expression: all1 } }, { token })).status).toBe(204);
    expect((await search(emu, token)).body[0].frequency).toEqual({ cron_expression: all1 });
  });

  it("reads what lenient clients send: cron fields as JSON numbers, null for an unset optional field", async () => {
    const { emu, token } = await setup();
    const numbers = { second: 0, minute: 30, hour: 8, day_of_month: "?", month: "*", day_of_week: 2 };
    const made = await created(emu, token, {
      ...MINIMAL,
      file_format: null,
      liveboard_options: null,
      pdf_options: null,
      personalised_view_id: null,
      frequency: { cron_expression: numbers },
    });
    expect(made).toMatchObject({
      file_format: "PDF",
      liveboard_options: null,
      personalised_view_id: null,
      frequency: { cron_expression: { second: "0", minute: "30", hour: "8", day_of_month: "?", month: "*", day_of_week: "2" } },
    });
    expect(
      (await call(emu, "POST", "/schedules/testing9/update", { name: null, description: "kept", status: null }, { token })).status,
    ).toBe(204);
    const [found] = (await search(emu, token, { record_size: null, sort_options: null, schedule_identifiers: null })).body;
    expect(found).toMatchObject({ name: "testing9", description: "kept", status: "ACTIVE" });
    expect400(await create(emu, token, { ...MINIMAL, name: "neg", frequency: { cron_expression: { ...numbers, hour: -1 } } }), /hour/);
  });
});

describe("the admin view", () => {
  it("lists the fixture Liveboards and every schedule with its org, next run and newest runs", async () => {
    const { emu, token } = await setup();
    const s = await created(emu, token, { ...MINIMAL, time_zone: "Etc/UTC" });
    const state = await call(emu, "GET", "/_emulator/state");
    expect(state.body.liveboards.map((b: any) => b.name)).toEqual(FIXTURES.liveboards.map((b: any) => b.name));
    expect(state.body.schedules).toEqual([
      { ...s, history_runs: [], org: { id: "0", name: "Primary" }, next_run_time_in_millis: Date.UTC(2026, 1, 27, 8), skipped_runs: 0 },
    ]);
  });
});

describe("releases", () => {
  it("has the schedules endpoints in every emulated release (they came with 9.4)", async () => {
    const emu = await emulator({ release: "10.14" });
    const token = await login(emu, "admin");
    expect((await search(emu, token)).status).toBe(200);
  });
});
