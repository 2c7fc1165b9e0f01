/**
 * Durability of the real CLI: real processes, real sockets, real files in temp data dirs.
 * A change the emulator acknowledged must survive a SIGKILL; a corrupt data file must stop start-up
 * without touching the file; --reset-data moves such files aside.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { configureBody, diskState, http, httpLogin, killAll, runToExit, startCli, tempDirs, validateBody } from "./support/index.js";

const TEST_ORG1 = 2100019165;
const TEST_ORG = 1532970882;
const PRIMARY = 0;
const CONFIGURE = "/api/rest/2.0/system/preferences/communication-channels/configure";
const PREF_SEARCH = "/api/rest/2.0/system/preferences/communication-channels/search";
const VALIDATE = "/api/rest/2.0/system/communication-channels/validate";
const HISTORY = "/api/rest/2.0/jobs/history/communication-channels/search";
const WEBHOOK_CREATE = "/api/rest/2.0/webhooks/create";
const WEBHOOK_SEARCH = "/api/rest/2.0/webhooks/search";

const dirs = tempDirs("emu-durability-");

afterEach(async () => {
  await killAll();
});

afterAll(() => dirs.removeAll());

/** Fails with the response text unless the status is 2xx. */
function ok2xx<R extends { status: number; text: string }>(res: R, what: string): R {
  if (res.status < 200 || res.status > 299) throw new Error(`${what} answered ${res.status}: ${res.text}`);
  return res;
}

describe("durability across a SIGKILL", () => {
  it("keeps every acknowledged change of 50 concurrent mutations after the process is killed right after the last 2xx", async () => {
    const dir = dirs.make();
    const first = startCli(["--port", "0", "--data-dir", dir]);
    const base = await first.ready();

    const t1 = await httpLogin(base, "admin", { org_id: TEST_ORG1 });
    const t0 = await httpLogin(base, "admin", { org_id: PRIMARY });
    const tA = await httpLogin(base, "admin", { org_id: TEST_ORG });
    // The one LIVEBOARD_SCHEDULE webhook of testOrg1; updates and validations below target it.
    const created = ok2xx(
      await http(base, WEBHOOK_CREATE, { name: "durable-hook", url: "https://hooks.example.com/x", events: ["LIVEBOARD_SCHEDULE"] }, t1),
      "webhook create",
    );
    const hookId: string = created.body.id;

    // Wave 1: 47 concurrent mutations of every kind (configure, create, update, validate).
    const wave: Promise<unknown>[] = [];
    const jobIds: string[] = [];
    const createdIds: Record<string, string> = {};
    for (let i = 0; i < 16; i++) {
      wave.push(http(base, CONFIGURE, configureBody(i % 2 ? ["WEBHOOK"] : ["EMAIL"]), t1).then((r) => ok2xx(r, `configure #${i}`)));
    }
    for (const [label, t] of [
      ["primary", t0],
      ["testOrg", tA],
    ] as const) {
      wave.push(
        http(
          base,
          WEBHOOK_CREATE,
          { name: `hook-${label}`, url: `https://hooks.example.com/${label}`, events: ["LIVEBOARD_SCHEDULE"] },
          t,
        ).then((r) => {
          ok2xx(r, `create in ${label}`);
          createdIds[label] = r.body.id;
        }),
      );
    }
    for (let i = 0; i < 12; i++) {
      wave.push(
        http(base, `/api/rest/2.0/webhooks/${hookId}/update`, { description: `update-${i}` }, t1).then((r) => ok2xx(r, `update #${i}`)),
      );
    }
    for (let i = 0; i < 17; i++) {
      wave.push(
        http(base, VALIDATE, validateBody(hookId), t1).then((r) => {
          ok2xx(r, `validate #${i}`);
          jobIds.push(r.body.job_id);
        }),
      );
    }
    await Promise.all(wave);

    // Wave 2: the last three mutations (distinct fields, so their order does not matter), then SIGKILL.
    const final = await Promise.all([
      http(base, CONFIGURE, configureBody(["EMAIL", "WEBHOOK"]), t1),
      http(base, `/api/rest/2.0/webhooks/${hookId}/update`, { description: "final-description", url_params: { run: "last" } }, t1),
      http(base, VALIDATE, validateBody(hookId), t1),
    ]);
    const exit = await first.kill();
    final.forEach((r, i) => ok2xx(r, `final mutation #${i}`));
    jobIds.push(final[2].body.job_id);
    expect(exit.signal).toBe("SIGKILL");
    expect(jobIds).toHaveLength(18);
    expect(new Set(jobIds).size).toBe(18);

    // Restart on the same data dir: everything acknowledged is there, and the old tokens still work.
    const second = startCli(["--port", "0", "--data-dir", dir]);
    const base2 = await second.ready();

    const prefs = await http(base2, PREF_SEARCH, { org_preferences: [{ org_identifier: "testOrg1" }] }, t1);
    expect(prefs.status, prefs.text).toBe(200);
    expect(prefs.body.org_preferences).toEqual([
      {
        org: { id: String(TEST_ORG1), name: "testOrg1" },
        preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL", "WEBHOOK"] }],
      },
    ]);

    const hooks = await http(base2, WEBHOOK_SEARCH, { webhook_identifier: hookId }, t1);
    expect(hooks.status, hooks.text).toBe(200);
    expect(hooks.body.webhooks).toHaveLength(1);
    expect(hooks.body.webhooks[0]).toMatchObject({
      id: hookId,
      name: "durable-hook",
      description: "final-description",
      url_params: { run: "last" },
    });

    for (const [label, t, org] of [
      ["primary", t0, "Primary"],
      ["testOrg", tA, "testOrg"],
    ] as const) {
      const found = await http(base2, WEBHOOK_SEARCH, { org_identifier: org }, t);
      expect(found.status, found.text).toBe(200);
      expect(found.body.webhooks.map((w: any) => [w.id, w.name])).toEqual([[createdIds[label], `hook-${label}`]]);
    }

    const missing: string[] = [];
    for (const id of jobIds) {
      const h = await http(base2, HISTORY, { channel_type: "WEBHOOK", job_ids: [id] }, t1);
      expect(h.status, h.text).toBe(200);
      if (h.body.jobs.length !== 1 || h.body.jobs[0].id !== id) missing.push(id);
      else expect(h.body.jobs[0]).toMatchObject({ status: "SUCCESS", event: { id: `validation-${hookId}` }, try_count: 1 });
    }
    expect(missing, "validation jobs acknowledged before the kill but missing after the restart").toEqual([]);

    const validated = await http(base2, "/api/rest/2.0/auth/token/validate", { token: t1 }, t1);
    expect(validated.status, validated.text).toBe(200);
    expect(validated.body.scope.org_id).toBe(TEST_ORG1);
  });
});

describe("unusable data files", () => {
  it("refuses to start on a state.json that is not JSON, names the file and --reset-data, and leaves its bytes alone", async () => {
    const dir = dirs.make();
    const file = join(dir, "state.json");
    writeFileSync(file, "{not json");
    const before = readFileSync(file);
    const run = await runToExit(["--port", "0", "--data-dir", dir]);
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.ms).toBeLessThan(10_000);
    expect(run.stdout).not.toMatch(/listening on/);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain("--reset-data");
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["state.json"]);
  });

  const validLine = JSON.stringify({
    ns: "default",
    ch: "5a3a4c1e-0d8f-4b43-9a43-2f0c6f0d1f11",
    org: "0",
    job: {
      id: "n.11111111-2222-4333-8444-555555555555",
      status: "SUCCESS",
      creation_time_in_millis: Date.now(),
      event: { type: "LIVEBOARD_SCHEDULE", id: "validation-5a3a4c1e-0d8f-4b43-9a43-2f0c6f0d1f11", name: null, run_id: null },
      recipients: null,
      detail: "",
      try_count: 1,
    },
  });
  it.each([
    ["half a JSON object", `${validLine}\n${validLine.slice(0, 40)}`, validLine.slice(0, 40)],
    ["a last line without a newline", `${validLine}\n${validLine}`, validLine],
  ])(
    "starts on a history.jsonl whose last line was cut off (%s): the cut-off bytes go to history.jsonl.torn-<time> with a warning",
    async (_label, content, torn) => {
      const dir = dirs.make();
      const file = join(dir, "history.jsonl");
      writeFileSync(file, content);
      const cli = startCli(["--port", "0", "--data-dir", dir]);
      const base = await cli.ready();
      expect(cli.stderr()).toContain(file);
      expect(cli.stderr()).toMatch(/cut-off line/);
      const aside = readdirSync(dir).filter((f) => /^history\.jsonl\.torn-/.test(f));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dir, aside[0]!), "utf8")).toBe(torn);
      expect(readFileSync(file, "utf8")).toBe(`${validLine}\n`);
      const t = await httpLogin(base, "admin");
      const found = await http(
        base,
        "/api/rest/2.0/jobs/history/communication-channels/search",
        { channel_type: "WEBHOOK", job_ids: [JSON.parse(validLine).job.id] },
        t,
      );
      expect(found.body.jobs).toHaveLength(1);
    },
  );

  it("refuses to start on a history.jsonl with an unreadable line in the middle, names the file, --repair and --reset-data, and leaves its bytes alone", async () => {
    const dir = dirs.make();
    const file = join(dir, "history.jsonl");
    writeFileSync(file, `${validLine}\n{"ns":"default","ch":\n${validLine}\n`);
    const before = readFileSync(file);
    const run = await runToExit(["--port", "0", "--data-dir", dir]);
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stdout).not.toMatch(/listening on/);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain("line 2");
    expect(run.stderr).toContain("--repair");
    expect(run.stderr).toContain("--reset-data");
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes("corrupt") || f.includes("torn"))).toEqual([]);
  });

  it("with --repair keeps every readable line of a history.jsonl with an unreadable one and sets the bad line aside", async () => {
    const dir = dirs.make();
    const file = join(dir, "history.jsonl");
    const second = validLine.replace("n.11111111-2222-4333-8444-555555555555", "n.22222222-2222-4333-8444-555555555555");
    writeFileSync(file, `${validLine}\n{"ns":"default","ch":\n${second}\n`);
    const cli = startCli(["--port", "0", "--data-dir", dir, "--repair"]);
    const base = await cli.ready();
    expect(cli.stderr()).toMatch(/--repair: set 1 unreadable line/);
    const aside = readdirSync(dir).filter((f) => /^history\.jsonl\.corrupt-lines-/.test(f));
    expect(readFileSync(join(dir, aside[0]!), "utf8")).toBe('{"ns":"default","ch":\n');
    const t = await httpLogin(base, "admin");
    for (const line of [validLine, second]) {
      const found = await http(
        base,
        "/api/rest/2.0/jobs/history/communication-channels/search",
        { channel_type: "WEBHOOK", job_ids: [JSON.parse(line).job.id] },
        t,
      );
      expect(found.body.jobs).toHaveLength(1);
    }
  });

  it("with --reset-data moves only the unusable file aside, with its original bytes, and keeps the readable one", async () => {
    const dir = dirs.make();
    writeFileSync(join(dir, "state.json"), "{not json");
    writeFileSync(join(dir, "history.jsonl"), `${validLine}\n`);
    const cli = startCli(["--port", "0", "--data-dir", dir, "--reset-data"]);
    const base = await cli.ready();

    const files = readdirSync(dir);
    const stateAside = files.filter((f) => /^state\.json\.corrupt-/.test(f));
    expect(stateAside).toHaveLength(1);
    expect(files.filter((f) => /^history\.jsonl\./.test(f))).toEqual([]);
    expect(readFileSync(join(dir, stateAside[0]!), "utf8")).toBe("{not json");

    const t = await httpLogin(base, "admin", { org_id: TEST_ORG1 });
    const prefs = await http(base, PREF_SEARCH, {}, t);
    expect(prefs.status, prefs.text).toBe(200);
    expect(prefs.body).toEqual({
      cluster_preferences: [],
      org_preferences: [
        { org: { id: "0", name: "Primary" }, preferences: [] },
        { org: { id: String(TEST_ORG), name: "testOrg" }, preferences: [] },
        { org: { id: String(TEST_ORG1), name: "testOrg1" }, preferences: [] },
      ],
    });
    const hooks = await http(base, WEBHOOK_SEARCH, {}, t);
    expect(hooks.status, hooks.text).toBe(200);
    expect(hooks.body.webhooks).toEqual([]);
    // The history survived, and the new state is on disk again (the login above was persisted).
    const t0 = await httpLogin(base, "admin");
    const found = await http(
      base,
      "/api/rest/2.0/jobs/history/communication-channels/search",
      { channel_type: "WEBHOOK", job_ids: [JSON.parse(validLine).job.id] },
      t0,
    );
    expect(found.body.jobs).toHaveLength(1);
    expect(diskState(dir).namespaces.default.tokens.length).toBeGreaterThan(0);
  });
});

describe("command-line errors", () => {
  it("exits 2 with a message naming an unknown option", async () => {
    const dir = dirs.make();
    const run = await runToExit(["--port", "0", "--data-dir", dir, "--no-such-option"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--no-such-option");
    expect(run.stdout).not.toMatch(/listening on/);
  });

  it("exits 2 with a message naming --clock when its value is not a time", async () => {
    const dir = dirs.make();
    const run = await runToExit(["--port", "0", "--data-dir", dir, "--clock", "yesterday-ish"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--clock");
    expect(run.stderr).toContain("yesterday-ish");
    expect(run.stdout).not.toMatch(/listening on/);
  });
});
