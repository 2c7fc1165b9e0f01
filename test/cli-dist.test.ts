/**
 * The built CLI the way users run it: `npm run build`, then `node dist/cli.js --port 0 --in-memory`.
 * A token from POST /auth/token/full works on GET /auth/session/user, the health route answers, and
 * SIGTERM shuts the process down cleanly.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { API, type CliProcess, ensureBuilt, http, httpLogin, killAll, runToExit, startCli } from "./support/index.js";

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
    await vi.waitFor(() => expect(cli.stdout()).toContain(`dashboard: http://localhost:${new URL(base).port}/_emulator/ui/`)); // after "listening on"
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

  it("refuses to start when --history would pass --max-jobs, saying both", async () => {
    const run = await runToExit(
      ["--port", "0", "--in-memory", "--fixtures", "fixtures/demo.json", "--history", "3,100", "--max-jobs", "500"],
      20_000,
      { dist: true },
    );
    expect(run.code).toBe(1);
    const m = run.stderr.match(
      /^\[emulator\] --history 3,100: Namespace 'default' may hold at most 500 history jobs \(--max-jobs\): it holds 0, and this would add (\d+)\./,
    );
    expect(m, run.stderr).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(580); // two demo webhooks, 3 days of 100 runs
  });
});
