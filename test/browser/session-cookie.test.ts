/**
 * A web app on http://localhost:<port> (what Vite prints) using a JSESSIONID session against the
 * emulator, in headless Chromium from Debian's packages.
 */
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/index.js";
import { launchChromium } from "../support/browser.js";

let browser: Browser;
let emu: RunningEmulator;
let page: Server;
let pagePort = 0;

beforeAll(async () => {
  browser = await launchChromium();
  emu = await startEmulator({ port: 0, log: () => {} });
  page = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>app</title><p>a Vite-style app</p>");
  });
  await new Promise<void>((r) => page.listen(0, "127.0.0.1", r));
  pagePort = (page.address() as AddressInfo).port;
});

afterAll(async () => {
  await browser?.close();
  await emu?.stop();
  page?.close();
});

/** Logs in with a session from the page, then asks who is logged in; answers the status and the body. */
async function sessionFrom(pageOrigin: string, emulatorOrigin: string) {
  const tab = await browser.newPage();
  try {
    await tab.goto(`${pageOrigin}/`);
    return await tab.evaluate(async (api) => {
      const login = await fetch(`${api}/api/rest/2.0/auth/session/login`, {
        method: "POST",
        credentials: "include",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "tsadmin", password: "admin" }),
      });
      const me = await fetch(`${api}/api/rest/2.0/auth/session/user`, { credentials: "include" });
      return { login: login.status, status: me.status, body: await me.json() };
    }, emulatorOrigin);
  } finally {
    await tab.close();
  }
}

describe("a browser session", () => {
  const port = () => new URL(emu.url).port;

  it("works for a page on http://localhost:<port> calling the emulator on localhost (the host the banner and README steer to)", async () => {
    const r = await sessionFrom(`http://localhost:${pagePort}`, `http://localhost:${port()}`);
    expect(r.login).toBe(204);
    expect(r.status).toBe(200);
    expect(r.body.name).toBe("tsadmin");
  });

  it("gets a 401 that says why when the page on localhost calls the emulator as 127.0.0.1 (the browser keeps the cookie)", async () => {
    const r = await sessionFrom(`http://localhost:${pagePort}`, `http://127.0.0.1:${port()}`);
    expect(r.login).toBe(204);
    expect(r.status).toBe(401);
    expect(JSON.stringify(r.body)).toContain(`call the emulator as http://localhost:${port()}, the same host as the page`);
  });

  it("accepts a *.localhost page origin", async () => {
    const r = await sessionFrom(`http://app.localhost:${pagePort}`, `http://app.localhost:${port()}`);
    expect(r.login).toBe(204);
    expect(r.status).toBe(200);
    expect(r.body.name).toBe("tsadmin");
  });
});
