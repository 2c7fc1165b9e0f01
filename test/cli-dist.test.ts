/**
 * The built CLI the way users run it: `npm run build`, then `node dist/cli.js --port 0 --in-memory`.
 * A token from POST /auth/token/full works on GET /auth/session/user, the health route answers, and
 * SIGTERM shuts the process down cleanly.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { API, type CliProcess, ensureBuilt, http, httpLogin, killAll, startCli } from "./support/index.js";

let cli: CliProcess;
let base = "";

beforeAll(async () => {
  ensureBuilt();
  cli = startCli(["--port", "0", "--in-memory"], { dist: true });
  base = await cli.ready();
}, 60_000);

afterAll(() => killAll());

describe("node dist/cli.js", () => {
  it("runs the build, not the TypeScript source", () => {
    expect(cli.child.spawnargs[1]).toBe("dist/cli.js");
    expect(cli.child.spawnargs).not.toContain("tsx");
  });

  it("prints the URL it listens on", () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.stdout()).toContain(`listening on ${base}`);
  });

  it("prints the dashboard's URL and serves its pages and scripts from the package", async () => {
    await vi.waitFor(() => expect(cli.stdout()).toContain(`dashboard: ${base}/_emulator/ui/`)); // the line after "listening on"
    const page = await fetch(`${base}/_emulator/ui/history`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/_emulator/ui/assets/history.js"></script>');
    const script = await fetch(`${base}/_emulator/ui/assets/history.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain("/history/histogram");
  });

  it("issues a token with POST /auth/token/full that GET /auth/session/user accepts", async () => {
    const token = await httpLogin(base, "admin");
    const user = await http(base, `${API}/auth/session/user`, undefined, token, "GET");
    expect(user.status, user.text).toBe(200);
    expect(user.body.name).toBe("tsadmin");
  });

  it('answers GET /_emulator/health with status "ok"', async () => {
    const health = await http(base, "/_emulator/health", undefined, undefined, "GET");
    expect(health.status, health.text).toBe(200);
    expect(health.body.status).toBe("ok");
  });

  it("exits on SIGTERM", async () => {
    const exit = await cli.stop();
    expect(exit, cli.stderr()).toEqual({ code: 0, signal: null });
    expect(cli.child.exitCode).toBe(0);
  });
});
