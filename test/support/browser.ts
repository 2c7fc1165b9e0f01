/**
 * A real browser for the dashboard's tests: Chromium from the system's packages (Debian's
 * /usr/bin/chromium, or CHROMIUM_PATH) driven by playwright-core, which downloads no browser.
 */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { USERS } from "./fixtures.js";

export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches the system's Chromium (loaded on first use: only browser tests pay for playwright-core). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

export interface DashboardPage {
  page: Page;
  /** Script errors, console errors and failed requests seen so far (a test expects none). */
  problems: string[];
  /** Opens a dashboard page ("" = overview), with the admin token in the URL fragment when given. */
  open(path: string, query?: Record<string, string>): Promise<void>;
  /** Signs in through the connect dialog if it is open (or opens within `ms`). */
  signIn(user?: keyof typeof USERS, ms?: number): Promise<void>;
  /** Saves a screenshot of the page (its first `maxHeight` pixels, or all of it) as docs/screenshots/<name>.png. */
  screenshot(name: string, maxHeight?: number): Promise<void>;
  close(): Promise<void>;
}

const SCREENSHOTS = new URL("../../docs/screenshots/", import.meta.url);

/** A laptop-sized page on the dashboard of the emulator at `base`. */
export async function dashboardPage(browser: Browser, base: string, opts: { adminToken?: string } = {}): Promise<DashboardPage> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: "en-US", timezoneId: "UTC" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on("requestfailed", (r) => {
    // Leaving a page cuts its event stream and any call still in flight: that is not a failure.
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`failed ${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on("dialog", (d) => void d.accept());
  return {
    page,
    problems,
    async open(path, query = {}) {
      const q = new URLSearchParams(query).toString();
      const fragment = opts.adminToken ? `#admin_token=${encodeURIComponent(opts.adminToken)}` : "";
      await page.goto(`${base}/_emulator/ui/${path}${q ? `?${q}` : ""}${fragment}`);
    },
    async signIn(user = "admin", ms = 5000) {
      const dialog = page.locator("#connect");
      await dialog.waitFor({ state: "visible", timeout: ms });
      await page.fill("#connect-username", USERS[user].username);
      await page.fill("#connect-password", USERS[user].password);
      await page.click("#connect-form button[type=submit]");
      await dialog.waitFor({ state: "hidden" });
    },
    async screenshot(name, maxHeight) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const clip = maxHeight && height > maxHeight ? { x: 0, y: 0, width: 1366, height: maxHeight } : undefined;
      await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true, clip, animations: "disabled" });
    },
    close: () => context.close(),
  };
}
