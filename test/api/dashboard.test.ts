/**
 * The dashboard as HTTP: where it lives, what its pages and assets are (no data in them, so no
 * admin token needed), and the admin guard's view of the dashboard's own origin.
 */
import { describe, expect, it } from "vitest";
import { call, createWebhook, debugText, emulator, login } from "../support/index.js";

const PAGES = ["", "webhooks", "schedules", "history", "inbox", "requests", "scenarios", "synthesize"];
const TOKEN = "t0ken-for-the-admin-routes";

describe("where the dashboard lives", () => {
  it("sends a browser opening the emulator's address to /_emulator/ui/ (it used to answer a JSON 404)", async () => {
    const emu = await emulator();
    const root = await emu.app.request("/");
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/_emulator/ui/");
    const bare = await call(emu, "GET", "/_emulator/ui");
    expect(bare.status).toBe(302);
    expect(bare.headers.get("location")).toBe("/_emulator/ui/");
  });

  it("serves every page as HTML without the admin token, the same bytes whatever the namespace holds", async () => {
    const emu = await emulator({ adminToken: TOKEN });
    const token = await login(emu, "admin", undefined, "full");
    await createWebhook(emu, token, { name: "Secret Project Falcon" }, { namespace: "full" });
    for (const page of PAGES) {
      const empty = await call(emu, "GET", `/_emulator/ui/${page}`);
      const full = await call(emu, "GET", `/_emulator/ui/${page}`, undefined, { namespace: "full" });
      expect(empty.status, page).toBe(200);
      expect(empty.headers.get("content-type")).toBe("text/html; charset=UTF-8");
      expect(empty.text).toMatch(/^<!doctype html><html lang="en">/);
      expect(empty.text).toContain(`<script type="module" src="/_emulator/ui/assets/${page || "overview"}.js"></script>`);
      expect(full.text).toBe(empty.text);
      expect(full.text).not.toContain("Falcon");
      // No inline script, no other origin, no framing.
      expect(empty.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(empty.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(empty.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    }
  });

  it("serves the scripts, styles and icon from the package with their types and an ETag, and 304 when the browser has them", async () => {
    const emu = await emulator({ adminToken: TOKEN });
    const js = await call(emu, "GET", "/_emulator/ui/assets/lib.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.text).toContain("export async function api(");
    const etag = js.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]{16}"$/);
    const again = await call(emu, "GET", "/_emulator/ui/assets/lib.js", undefined, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect((await call(emu, "GET", "/_emulator/ui/assets/app.css")).headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect((await call(emu, "GET", "/_emulator/ui/assets/favicon.svg")).headers.get("content-type")).toBe("image/svg+xml");
  });

  it("answers a 404 naming the pages for an unknown page, and for an asset it does not ship (no path leaves the dashboard folder)", async () => {
    const emu = await emulator();
    const page = await call(emu, "GET", "/_emulator/ui/settings");
    expect(page.status).toBe(404);
    expect(page.body.error).toContain("/_emulator/ui/webhooks");
    for (const path of [
      "/_emulator/ui/assets/nope.js",
      "/_emulator/ui/assets/..%2Fpackage.json",
      "/_emulator/ui/assets/%2e%2e%2fsrc%2fcli.ts",
    ]) {
      const res = await call(emu, "GET", path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('"name": "thoughtspot-channels-emulator"');
    }
  });

  it("still asks the admin token of every data route the pages call, and of anything but GET under /_emulator/ui", async () => {
    const emu = await emulator({ adminToken: TOKEN });
    for (const path of [
      "/_emulator/state",
      "/_emulator/history",
      "/_emulator/history/histogram",
      "/_emulator/namespaces",
      "/_emulator/events",
    ]) {
      const res = await call(emu, "GET", path);
      expect(res.status, path).toBe(401);
      expect(debugText(res.body)).toContain("X-Emulator-Admin-Token");
    }
    expect((await call(emu, "POST", "/_emulator/ui/", {})).status).toBe(401);
    const ok = await call(emu, "GET", "/_emulator/history", undefined, { headers: { "x-emulator-admin-token": TOKEN } });
    expect(ok.status).toBe(200);
  });
});

describe("the dashboard's own origin", () => {
  const page = (origin: string, host = "127.0.0.1:4010") => ({ headers: { origin, host } });

  it("may call the admin routes even when --cors-origin allows only other origins (it was refused with 403)", async () => {
    const emu = await emulator({ corsOrigins: ["https://app.example.com"] });
    const res = await call(emu, "POST", "/_emulator/clock", {}, page("http://127.0.0.1:4010"));
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const named = await call(emu, "POST", "/_emulator/clock", {}, page("http://localhost:4010", "localhost:4010"));
    expect(named.status).toBe(200);
    // Behind a TLS proxy the page is https on the name the proxy forwards as Host.
    const proxied = await emulator({ corsOrigins: ["https://app.example.com"], allowedHosts: ["emulator.internal"] });
    expect((await call(proxied, "POST", "/_emulator/clock", {}, page("https://emulator.internal", "emulator.internal"))).status).toBe(200);
  });

  it("is the host and port the request was sent to: another port or host is refused", async () => {
    const emu = await emulator({ corsOrigins: ["https://app.example.com"] });
    for (const origin of ["http://127.0.0.1:4011", "http://127.0.0.1:40100", "http://127.0.0.2:4010", "http://127.0.0.1", "null"]) {
      const res = await call(emu, "POST", "/_emulator/reset", {}, page(origin));
      expect(res.status, origin).toBe(403);
      expect(debugText(res.body)).toContain("only the --cors-origin list");
    }
  });

  it("does not let a rebound DNS name in: its Host fails the allow-list before the origin is looked at", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/_emulator/reset", {}, page("http://attacker.example:4010", "attacker.example:4010"));
    expect(res.status).toBe(403);
    expect(debugText(res.body)).toContain("DNS rebinding");
  });
});
