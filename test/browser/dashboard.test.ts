/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a real
 * emulator with the demo fixtures and synthesized history, an admin token, and the whole demo:
 * configure, create through the form, validate, break it with a scenario, deliver and watch it
 * retry, read the history and its chart, move the clock past retention. Saves each page's
 * screenshot under docs/screenshots/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/index.js";
import { API, type DashboardPage, dashboardPage, httpLogin, httpRequest, launchChromium } from "../support/index.js";

const DEMO = new URL("../../fixtures/demo.json", import.meta.url).pathname;
const ADMIN = "demo-admin-token";
const DAY = 86_400_000;
const PRIMARY = "0";
const ZAPIER = "9185f9be-f237-42bf-b452-c2dc897e1673";

let browser: Browser;
const running: { emu: RunningEmulator; ui: DashboardPage }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const { emu, ui } of running.splice(0)) {
    await ui.close();
    await emu.stop();
  }
});

/** The demo as a presenter starts it (two weeks of history kept), with an admin token, and a browser page on its dashboard. */
async function demo(options: Parameters<typeof startEmulator>[0] = {}) {
  const emu = await startEmulator({
    port: 0,
    fixturesFile: DEMO,
    history: { days: 14, runsPerDay: 24 },
    retentionDays: 14,
    deliveryBackoffMs: [400, 400],
    adminToken: ADMIN,
    seed: 11,
    clockStart: Date.parse("2026-03-30T15:00:00Z"),
    log: () => {},
    ...options,
  });
  const ui = await dashboardPage(browser, emu.url, { adminToken: ADMIN });
  running.push({ emu, ui });
  return { emu, ui, page: ui.page };
}

/** An admin-route call from the test itself (with the admin token). */
async function adminCall(emu: RunningEmulator, method: string, path: string, body?: unknown) {
  const res = await httpRequest(emu.url, method, `/_emulator${path}`, body, { headers: { "x-emulator-admin-token": ADMIN } });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** A webhook in Primary pointing at the emulator's inbox, created through the API (and WEBHOOK switched on there). */
async function inboxWebhook(emu: RunningEmulator, name = "Demo receiver") {
  const token = await httpLogin(emu.url, "admin");
  const created = await httpRequest(
    emu.url,
    "POST",
    `${API}/webhooks/create`,
    {
      name,
      url: `${emu.url}/_emulator/inbox/demo`,
      events: ["LIVEBOARD_SCHEDULE"],
      signature_verification: { type: "HMAC_SHA256", header: "X-TS-Signature", algorithm: "SHA256", secret: "demo-secret" },
    },
    { token },
  );
  expect(created.status, created.text).toBe(200);
  return created.body.id as string;
}

const card = (page: Page, name: string) => page.locator(`article.webhook[data-name="${name}"]`);
const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.trim() ?? "";

/** Every input, select and textarea of the page has a label (or an aria-label): what a screen reader needs. */
const unlabelled = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((n) => (n as HTMLInputElement).type !== "hidden")
      .filter((n) => !(n as HTMLInputElement).labels?.length && !n.getAttribute("aria-label") && !n.getAttribute("aria-labelledby"))
      .map((n) => n.id || n.outerHTML.slice(0, 80)),
  );

async function switchScenario(ui: DashboardPage, name: string) {
  await ui.open("scenarios");
  const item = ui.page.locator(`#scenario-list li[data-scenario="${name}"]`);
  await item.locator("label.switch").click();
  await ui.page.locator(`#active-list li[data-scenario="${name}"]`).waitFor();
}

describe("the dashboard at /_emulator/ui", () => {
  it("opens every page with its heading, its data, live updates on, labelled controls, and no failed request or script error", async () => {
    const { emu, ui, page } = await demo();
    const pages: [string, string, string][] = [
      ["", "Overview", "#orgs tbody tr[data-org]"],
      ["webhooks", "Webhooks", "article.webhook"],
      ["schedules", "Schedules", "#sched-summary:not(:empty)"],
      ["history", "History", "#jobs tbody tr[data-job]"],
      ["inbox", "Inbox", "#inbox-summary:not(:empty)"],
      ["requests", "Requests", "#request-list li"],
      ["scenarios", "Scenarios", "#scenario-list li"],
      ["synthesize", "Synthesize", "#synth-estimate:not(:empty)"],
    ];
    for (const [path, title, content] of pages) {
      await ui.open(path);
      if (path === "webhooks") await ui.signIn();
      await page.locator(content).first().waitFor();
      await page.locator("#live[data-state=on]").waitFor();
      expect(await text(page, "h1")).toBe(title);
      expect(await page.title()).toBe(`${title} · ThoughtSpot channels emulator`);
      expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe(title);
      expect(await unlabelled(page), `unlabelled controls on ${title}`).toEqual([]);
    }
    // A smaller laptop: no page scrolls sideways (wide tables scroll inside their box).
    await page.setViewportSize({ width: 1280, height: 720 });
    for (const [path, , content] of pages) {
      await ui.open(path);
      await page.locator(content).first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `/${path} at 1280 px`).toBe(0);
    }
    expect(ui.problems).toEqual([]);
    // GET / sends a browser to the dashboard.
    await page.goto(`${emu.url}/`);
    expect(new URL(page.url()).pathname).toBe("/_emulator/ui/");
  });

  it("creates a webhook through the form pointing at the inbox, validates it (SUCCESS), then with aws-assume-role-denied sees PARTIAL_SUCCESS with the STS text", async () => {
    const { emu, ui, page } = await demo();
    await ui.open("webhooks");
    await ui.signIn();
    await page.locator("section.org-section[data-org='0'] button", { hasText: "New webhook in Primary" }).click();
    await page.fill("#wh-name", "Demo receiver");
    await page.click("#wh-use-inbox");
    expect(await page.inputValue("#wh-url")).toBe(`${emu.url}/_emulator/inbox/demo-receiver`);
    await page.check("#wh-sign");
    await page.fill("#wh-sign-secret", "demo-secret");
    await page.selectOption("#wh-storage", "AWS_S3");
    await page.fill("#wh-bucket", "demo-exports");
    await page.fill("#wh-region", "eu-west-1");
    await page.fill("#wh-role", "arn:aws:iam::111122223333:role/DemoDelivery");
    await page.click("#webhook-submit");
    const hook = card(page, "Demo receiver");
    await hook.waitFor();
    expect(await hook.locator("dl.config").textContent()).toContain("HMAC_SHA256 in X-TS-Signature, secret ***");

    await hook.getByRole("button", { name: "Validate" }).click();
    await hook.locator(".validation .result").waitFor();
    expect(await hook.locator(".validation .result .status").textContent()).toBe("SUCCESS");
    const storage = hook.locator('li[data-step="STORAGE_FILE_UPLOAD_CHECK"]');
    expect(await storage.locator(".status").textContent()).toBe("SUCCESS");
    expect(await storage.locator("dl").textContent()).toMatch(
      /Bucketdemo-exportsObject keywebhooks\/cluster-[^/]+\/org-0\/user-[^/]+\/liveboard\/validation_dummy_\d{8}_\d{6}\.pdf/,
    );
    expect(await hook.locator('li[data-step="HTTP_CONNECTION_CHECK"]').textContent()).toContain("SUCCESS HTTP 200");

    // Edit: a new description; the signing secret, shown as ***, is kept when not typed again.
    await hook.getByRole("button", { name: "Edit Demo receiver" }).click();
    expect(await page.inputValue("#wh-sign-secret")).toBe("");
    expect(await page.isChecked("#wh-sign")).toBe(true);
    await page.fill("#wh-description", "Receives the demo's schedules");
    await page.click("#webhook-submit");
    await page.locator("#webhook-dialog").waitFor({ state: "hidden" });
    await page.waitForFunction(() =>
      document.querySelector('article[data-name="Demo receiver"] dl.config')?.textContent?.includes("Receives the demo's schedules"),
    );

    await switchScenario(ui, "aws-assume-role-denied");
    await ui.open("webhooks");
    const again = card(page, "Demo receiver");
    await again.getByRole("button", { name: "Validate" }).click();
    await again.locator(".validation .result").waitFor();
    expect(await again.locator(".validation .result .status").textContent()).toBe("PARTIAL_SUCCESS");
    const denied = again.locator('li[data-step="STORAGE_FILE_UPLOAD_CHECK"]');
    expect(await denied.locator(".status").textContent()).toBe("FAILED");
    expect(await denied.locator(".step-error").textContent()).toMatch(
      /not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role\/DemoDelivery/,
    );
    expect(await again.locator('li[data-step="HTTP_CONNECTION_CHECK"] .status').textContent()).toBe("SUCCESS");
    // Both validation POSTs reached the inbox over HTTP, signed with the secret typed into the form.
    const inbox = await adminCall(emu, "GET", "/inbox/demo-receiver");
    expect(inbox.messages.map((m: any) => [m.kind, m.simulated, m.signature_valid])).toEqual([
      ["validation", false, true],
      ["validation", false, true],
    ]);
    expect(ui.problems).toEqual([]);
  });

  it("fires a delivery with fails-twice-then-succeeds and watches it go PENDING → RETRY → RETRY → SUCCESS with try_count 3 without reloading", async () => {
    const { emu, ui, page } = await demo();
    await inboxWebhook(emu);
    // Configure: WEBHOOK among Primary's channels, through the overview's form.
    await ui.open("");
    const primary = page.locator("#orgs tr[data-org='0']");
    await primary.waitFor();
    expect(await primary.locator("td").nth(1).textContent()).toBe("EMAIL");
    await primary.getByLabel("WEBHOOK").check();
    await primary.getByRole("button", { name: "Save" }).click();
    await ui.signIn(); // the overview's first API call
    await page.waitForFunction(() => document.querySelector("#orgs tr[data-org='0'] td:nth-of-type(3)")?.textContent === "org override");
    expect(await primary.locator("td").nth(1).textContent()).toBe("EMAILWEBHOOK");

    await ui.open("webhooks");
    const hook = card(page, "Demo receiver");
    for (const name of ["Zapier", "Demo receiver"]) {
      await card(page, name).getByRole("button", { name: "Validate" }).click();
      await card(page, name).locator(".validation .result").waitFor();
    }
    expect(await card(page, "Zapier").locator(".validation .result .status").textContent()).toBe("SUCCESS");
    // Switched on from outside (the switch itself is another test's): the page stays as it is.
    await adminCall(emu, "POST", "/scenarios/fails-twice-then-succeeds/activate");
    await page.evaluate(() => {
      (window as any).stillTheSamePage = true;
    });
    await hook.getByRole("button", { name: "Fire delivery" }).click();
    await hook.locator('.delivery[data-final="SUCCESS"]').waitFor({ timeout: 30_000 });
    const steps = await hook.locator(".delivery .timeline li").evaluateAll((lis) => lis.map((li) => li.textContent?.replace(/ ·.*$/s, "")));
    expect(steps).toEqual(["PENDING try 0", "RETRY try 1", "RETRY try 2", "SUCCESS try 3"]);
    expect(await hook.locator(".delivery .timeline li").nth(1).textContent()).toContain("503");
    expect(await page.evaluate(() => (window as any).stillTheSamePage)).toBe(true);
    const jobId = await hook.locator(".delivery").getAttribute("data-job");
    const page1 = await adminCall(emu, "GET", `/history?channel=Demo%20receiver&limit=5`);
    expect(page1.jobs[0].job).toMatchObject({ id: jobId, status: "SUCCESS", try_count: 3 });
    await ui.screenshot("webhooks");
    await ui.open("");
    await page.locator("#active-scenarios li strong").waitFor();
    await ui.screenshot("overview");
    await ui.open("scenarios");
    await page.locator("#active-list li[data-scenario='fails-twice-then-succeeds'] .hits").first().waitFor();
    expect(await page.locator("#active-list li[data-scenario='fails-twice-then-succeeds'] .remaining").allTextContents()).toEqual([
      "2",
      "0",
    ]); // validation.http untouched, delivery.attempt used up
    expect(ui.problems).toEqual([]);
  });

  it("lists a schedule made through the API with its next run, runs it now (SUCCESS, and its e-mail in the outbox), and pauses and resumes it", async () => {
    const { emu, ui, page } = await demo();
    const token = await httpLogin(emu.url, "admin", { org_id: 0 });
    const created = await httpRequest(
      emu.url,
      "POST",
      `${API}/schedules/create`,
      {
        name: "Morning sales",
        description: "Sales every weekday morning",
        metadata_type: "LIVEBOARD",
        metadata_identifier: "Sales Overview",
        time_zone: "Etc/UTC",
        frequency: { cron_expression: { second: "0", minute: "0", hour: "16", day_of_month: "*", month: "*", day_of_week: "1-5" } },
        recipient_details: { emails: ["sales@example.com"] },
      },
      { token },
    );
    expect(created.status, created.text).toBe(200);
    await ui.open("schedules");
    const row = page.locator('tr[data-name="Morning sales"]');
    await row.waitFor();
    await page.locator("#live[data-state=on]").waitFor();
    // The demo's synthesized history brought its schedules along (PAUSED), in every org with webhooks.
    const all = (await adminCall(emu, "GET", "/state")).schedules as { name: string; status: string; org: { id: string } }[];
    expect(all.filter((s) => s.name !== "Morning sales").every((s) => s.status === "PAUSED")).toBe(true);
    const orgs = new Set(all.map((s) => s.org.id)).size;
    expect(await text(page, "#sched-summary")).toBe(`${all.length} schedules in ${orgs} orgs.`);
    expect(await page.locator('tr[data-status="PAUSED"]').count()).toBe(all.length - 1);
    expect(await row.locator(".status").first().textContent()).toBe("Active");
    expect(await row.locator("code.cron").textContent()).toBe("0 0 16 * * 1-5");
    expect(await row.locator(".phrase").textContent()).toBe("every weekday at 16:00");
    // 2026-03-30 is a Monday; the clock started at 15:00
    expect(await row.locator(".next-run time").textContent()).toBe("2026-03-30T16:00:00.000Z");
    expect(await row.locator(".next-run .rel").textContent()).toMatch(/^in (1 h|\d\d min)$/); // the clock runs
    expect(await row.locator(".runs").textContent()).toBe("no run yet");

    await row.getByRole("button", { name: "Run Morning sales now" }).click();
    await row.locator('.run-result[data-status="SUCCESS"]').waitFor();
    expect(await row.locator(".run-result .outbox-message").textContent()).toBe(
      "E-mail to sales@example.com: Morning sales: Sales Overview",
    );
    await page.waitForFunction(
      () => document.querySelector('tr[data-name="Morning sales"] .run-list li')?.getAttribute("data-status") === "SUCCESS",
    );
    const box = await adminCall(emu, "GET", "/outbox");
    expect(box.messages.map((m: any) => [m.schedule.name, m.to, m.run_id])).toEqual([
      ["Morning sales", ["sales@example.com"], await row.locator(".run-result").getAttribute("data-run")],
    ]);
    // The regular run is still due when it was.
    expect(await row.locator(".next-run time").textContent()).toBe("2026-03-30T16:00:00.000Z");

    await row.getByRole("button", { name: "Pause Morning sales" }).click();
    await ui.signIn(); // the page's first API call
    await page.locator('tr[data-name="Morning sales"][data-status="PAUSED"]').waitFor();
    expect(await page.locator('tr[data-name="Morning sales"] .status').first().textContent()).toBe("Paused");
    expect(await text(page, 'tr[data-name="Morning sales"] .next-run, tr[data-name="Morning sales"] td:nth-of-type(5)')).toBe(
      "none while paused",
    );
    await ui.screenshot("schedules");
    await page.getByRole("button", { name: "Resume Morning sales" }).click();
    await page.locator('tr[data-name="Morning sales"][data-status="ACTIVE"]').waitFor();
    // The clock moves past 16:00: the regular run comes live, and the next one is tomorrow's.
    await adminCall(emu, "POST", "/clock", { advance_ms: 3_600_000 });
    await page.waitForFunction(
      () => document.querySelector('tr[data-name="Morning sales"] .next-run time')?.textContent === "2026-03-31T16:00:00.000Z",
    );
    expect(await page.locator('tr[data-name="Morning sales"] .run-list li').count()).toBe(2);
    expect(ui.problems).toEqual([]);
  });

  it("filters the history, draws jobs per day by status, picks a day from the chart, and loses old jobs as the clock passes retention", async () => {
    const { emu, ui, page } = await demo();
    await ui.open("history");
    await page.locator("#jobs tbody tr[data-job]").first().waitFor();
    const all = await adminCall(emu, "GET", "/history?limit=1");
    expect(all.total).toBeGreaterThan(600);
    expect(await text(page, "#jobs-summary")).toContain(`${all.total.toLocaleString("en-US")} jobs match`);
    expect(await page.locator("#chart svg g.day").count()).toBe(15);
    const histogram = await adminCall(emu, "GET", "/history/histogram");
    expect(histogram.days.reduce((n: number, d: any) => n + d.total, 0)).toBe(all.total);
    await ui.screenshot("history", 1500);

    await page.selectOption("#f-status", "FAILED");
    await page.selectOption("#f-channel", ZAPIER);
    await page.click("#history-filters button[type=submit]");
    const failed = await adminCall(emu, "GET", `/history?status=FAILED&channel=${ZAPIER}&limit=1`);
    expect(failed.total).toBeGreaterThan(0);
    await page.waitForFunction(
      (n) => document.querySelector("#jobs-summary")?.textContent?.startsWith(`${n} job`),
      failed.total.toLocaleString("en-US"),
    );
    const rows = page.locator("#jobs tbody tr[data-job]");
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.status)))).toEqual(new Set(["FAILED"]));
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.children[1].textContent)))).toEqual(new Set(["Zapier"]));
    expect(new URL(page.url()).searchParams.get("status")).toBe("FAILED");

    // A day of the chart: the table narrows to that day.
    await page.click("#history-filters button[type=reset]");
    await page.waitForFunction(
      (n) => document.querySelector("#jobs-summary")?.textContent?.startsWith(`${n} jobs`),
      all.total.toLocaleString("en-US"),
    );
    const day = histogram.days[5];
    await page.locator(`#chart g.day[data-date="${day.date}"]`).focus(); // from the keyboard
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      (n) => document.querySelector("#jobs-summary")?.textContent?.startsWith(`${n} job`),
      day.total.toLocaleString("en-US"),
    );
    const times = await rows.evaluateAll((trs) => trs.map((tr) => Date.parse(tr.querySelector("time")!.getAttribute("datetime")!)));
    expect(times.every((t) => t >= day.start && t < day.start + DAY)).toBe(true);

    // The clock: one day on, the oldest day goes; past retention, everything does.
    await ui.open("");
    await page.fill("#advance-amount", "1");
    await page.selectOption("#advance-unit", String(DAY));
    await page.click("#clock-advance button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#clock-now")?.getAttribute("datetime")?.startsWith("2026-03-31T15:0"));
    await ui.open("history");
    const later = await adminCall(emu, "GET", "/history?limit=1");
    expect(later.total).toBeLessThan(all.total);
    await page.waitForFunction(
      (n) => document.querySelector("#jobs-summary")?.textContent?.startsWith(`${n} jobs`),
      later.total.toLocaleString("en-US"),
    );
    await ui.open("");
    await page.getByRole("button", { name: "Advance 15 days (past retention)" }).click();
    await page.waitForFunction(() => document.querySelector("#clock-now")?.getAttribute("datetime")?.startsWith("2026-04-15T15:0"));
    await ui.open("history");
    await page.waitForFunction(() => document.querySelector("#jobs-summary")?.textContent?.startsWith("0 jobs match"));
    expect(await text(page, "#jobs tbody")).toBe("No job matches.");
    expect(await text(page, "#chart-summary")).toContain("0 in all");
    expect(ui.problems).toEqual([]);
  });

  it("shows deliveries in the inbox and requests in the journal as they arrive, with the signature badge, the payload and the file to download, and the e-mail a schedule run sends", async () => {
    const { emu, ui, page } = await demo();
    const id = await inboxWebhook(emu);
    const token = await httpLogin(emu.url, "admin", { org_id: 0 });
    await httpRequest(
      emu.url,
      "POST",
      `${API}/system/preferences/communication-channels/configure`,
      {
        org_preferences: [
          { org_identifier: "Primary", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
        ],
      },
      { token },
    );

    await ui.open("inbox");
    await page.locator("#inbox-summary:not(:empty)").waitFor();
    expect(await text(page, "#inbox-summary")).toBe("Nothing has arrived yet.");
    await adminCall(emu, "POST", "/deliveries", { channel_identifier: id, org_identifier: PRIMARY, schedule_name: "Executive KPI Digest" });
    const message = page.locator("#inbox-list li.new[data-kind=delivery]").first();
    await message.waitFor();
    expect(await message.locator(".signature").textContent()).toBe("signature valid");
    expect(await message.locator("pre.json").first().textContent()).toContain('"name": "Executive KPI Digest"');
    const [download] = await Promise.all([page.waitForEvent("download"), message.getByRole("button", { name: /^Download/ }).click()]);
    expect(download.suggestedFilename()).toBe("Sales_Overview.pdf");
    const stream = await download.createReadStream();
    const bytes = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => resolve(Buffer.concat(chunks)));
    });
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    await ui.screenshot("inbox");

    await ui.open("requests");
    await page.locator("#request-list li").first().waitFor();
    await page.fill("#r-operation", "searchWebhookConfigurations");
    await page.click("#request-filters button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#requests-summary")?.textContent?.startsWith("0 shown"));
    await httpRequest(emu.url, "POST", `${API}/webhooks/search`, { webhook_identifier: "Demo receiver" }, { token });
    const entry = page.locator("#request-list li.new").first();
    await entry.waitFor();
    expect(await entry.locator(".path").textContent()).toBe("/api/rest/2.0/webhooks/search");
    await entry.locator("summary").click();
    expect(await entry.locator("pre.json").nth(1).textContent()).toContain('"webhook_identifier": "Demo receiver"');
    expect(await entry.locator("pre.json").nth(2).textContent()).toContain('"total_count": 1');
    await page.click("#request-filters button[type=reset]");
    await page.waitForFunction(() => !document.querySelector("#requests-summary")?.textContent?.startsWith("1 shown"));
    await ui.screenshot("requests");

    // A schedule run of an org with EMAIL on: its e-mail appears under the inbox's E-mails, live.
    await httpRequest(
      emu.url,
      "POST",
      `${API}/system/preferences/communication-channels/configure`,
      {
        org_preferences: [
          { org_identifier: "Primary", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] }] },
        ],
      },
      { token },
    );
    const created = await httpRequest(
      emu.url,
      "POST",
      `${API}/schedules/create`,
      {
        name: "Board digest",
        description: "KPIs for the board",
        metadata_type: "LIVEBOARD",
        metadata_identifier: "Executive KPIs",
        time_zone: "Etc/UTC",
        frequency: { cron_expression: { second: "0", minute: "30", hour: "15", day_of_month: "*", month: "*", day_of_week: "*" } },
        recipient_details: { emails: ["board@example.com"] },
      },
      { token },
    );
    expect(created.status).toBe(200);
    await ui.open("inbox");
    await page.locator("#outbox-summary:not(:empty)").waitFor();
    await adminCall(emu, "POST", "/clock", { advance_ms: 3_600_000 });
    const mail = page.locator("#outbox-list li.new").first();
    await mail.waitFor();
    expect(await mail.locator("strong").textContent()).toBe("Board digest: Executive KPIs");
    expect(await mail.textContent()).toContain("to board@example.com");
    expect(await mail.locator("pre").textContent()).toContain("Open it in ThoughtSpot:");
    expect(await text(page, "#outbox-summary")).toBe("1 e-mail, newest first.");
    expect(ui.problems).toEqual([]);
  });

  it("shows a wrong inline rule's error with its JSON path and what was expected, and applies a right one", async () => {
    const { ui, page } = await demo();
    await ui.open("scenarios");
    await page.locator("#scenario-list li").first().waitFor();
    await page.fill(
      "#inline-rules",
      JSON.stringify({ name: "inline", rules: [{ match: { hook: "token.check" }, outcome: { storage_error: "ASSUME_ROLE_DENIED" } }] }),
    );
    await page.click("#inline-form button[type=submit]");
    await page.locator("#inline-error:not(:empty)").waitFor();
    expect(await text(page, "#inline-error")).toBe(
      'Invalid scenario at rules[0].outcome.storage_error: not an outcome of hook token.check (it understands: "expired")',
    );
    // The one failed request is the refused rule (the browser logs its 400 too).
    expect(ui.problems.splice(0).filter((p) => !p.includes("Failed to load resource"))).toEqual([
      expect.stringMatching(/^400 PUT .*\/_emulator\/scenarios\/active$/),
    ]);
    await page.fill(
      "#inline-rules",
      JSON.stringify({ name: "inline", rules: [{ match: { hook: "validation.http" }, times: 1, outcome: { http_status: 503 } }] }),
    );
    await page.click("#inline-form button[type=submit]");
    await page.locator("#active-list li[data-scenario=inline]").waitFor();
    expect(await text(page, "#inline-error")).toBe("");
    expect(await page.locator("#active-list li[data-scenario=inline] .remaining").textContent()).toBe("1");
    await ui.screenshot("scenarios");
    expect(ui.problems).toEqual([]);
  });

  it("synthesizes a large run with progress along the way, and the history then holds it", async () => {
    const { emu, ui, page } = await demo({ history: undefined });
    await ui.open("synthesize");
    await page.locator("#synth-estimate:not(:empty)").waitFor();
    await page.fill("#s-days", "14");
    await page.fill("#s-runs", "3000");
    expect(await text(page, "#synth-estimate")).toBe("About 84,000 jobs for 2 webhooks over 14 days (retention is 14 days).");
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as any).progressSeen = seen;
      new MutationObserver(() => seen.push(document.querySelector("#synth-text")?.textContent ?? "")).observe(
        document.querySelector("#synth-text")!,
        {
          childList: true,
          characterData: true,
          subtree: true,
        },
      );
    });
    await page.click("#synth-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#synth-text")?.textContent?.startsWith("Done:"), undefined, {
      timeout: 60_000,
    });
    const seen: string[] = await page.evaluate(() => (window as any).progressSeen);
    expect(seen.some((s) => /^[\d,]+ of about [\d,]+ jobs stored/.test(s))).toBe(true);
    expect(await page.locator("#synth-bar").getAttribute("value")).toBe("100");
    const stored = await adminCall(emu, "GET", "/history?limit=1");
    expect(await text(page, "#synth-text")).toBe(`Done: ${stored.total.toLocaleString("en-US")} jobs stored.`);
    await ui.screenshot("synthesize");
    expect(ui.problems).toEqual([]);
  });

  it("asks for the admin token when the URL has none, refuses a wrong one with the emulator's words, and works with the right one", async () => {
    const { emu, page } = await demo({ history: undefined });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(`${emu.url}/_emulator/ui/`);
    await page.locator("#connect-admin").waitFor();
    expect(await page.locator("#connect-user").isHidden()).toBe(true);
    await page.fill("#connect-token", "wrong");
    await page.click("#connect-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#connect-error")?.textContent?.includes("does not match"));
    await page.fill("#connect-token", ADMIN);
    await page.click("#connect-form button[type=submit]");
    await page.locator("#orgs tbody tr[data-org]").first().waitFor();
    expect(await page.locator("#orgs tbody tr[data-org]").count()).toBe(3);
    expect(problems).toEqual([]);
  });
});
