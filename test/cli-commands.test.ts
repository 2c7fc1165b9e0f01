/**
 * The CLI as a user meets it: --version, flags from the environment, a busy port, the shutdown
 * lines, and the subcommands that drive a running emulator.
 */
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { VERSION } from "../src/version.js";
import { API, httpLogin, httpRequest, killAll, runToExit, startCli } from "./support/index.js";

afterAll(killAll);

/** The banner follows the "listening on" line that ready() waits for. */
async function banner(cli: ReturnType<typeof startCli>): Promise<string> {
  for (let i = 0; i < 100 && !cli.stdout().includes("curl -s"); i++) await new Promise((r) => setTimeout(r, 50));
  return cli.stdout();
}

describe("the command line", () => {
  it("prints the package version with --version and exits 0", async () => {
    const run = await runToExit(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(VERSION);
  });

  it("takes a flag from its EMULATOR_<NAME> environment variable, the command line winning", async () => {
    const cli = startCli(["--port", "0", "--in-memory", "--release", "26.8"], {
      env: { EMULATOR_RELEASE: "10.14", EMULATOR_SEED: "77" },
    });
    const url = await cli.ready();
    expect(await banner(cli)).toContain("release: 26.8.0.cl");
    expect(cli.stdout()).toContain("seed: 77");
    const seed = await (await fetch(`${url}/_emulator/clock`)).json();
    expect(seed).toHaveProperty("now");
    await cli.stop();
  });

  it("refuses an environment switch that is not yes or no, naming the variable", async () => {
    const run = await runToExit(["--port", "0"], 10_000, { env: { EMULATOR_IN_MEMORY: "maybe" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("EMULATOR_IN_MEMORY must be 1, true, yes, 0, false or no");
  });

  it("says in one line that the port is busy and exits 2", async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = (busy.address() as { port: number }).port;
    try {
      const run = await runToExit(["--port", String(port), "--in-memory"]);
      expect(run.code).toBe(2);
      const lines = run.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(String(port));
      expect(lines[0]).toMatch(/in use/i);
    } finally {
      busy.close();
    }
  });

  it("prints where to point a browser and the dashboard, and on SIGTERM says it stopped", async () => {
    const cli = startCli(["--port", "0", "--in-memory"]);
    const url = await cli.ready();
    const port = new URL(url).port;
    expect(await banner(cli)).toContain(`http://localhost:${port}/_emulator/ui`);
    expect(cli.stdout()).toContain("curl -s -X POST");
    const exit = await cli.stop();
    expect(exit.code).toBe(0);
    expect(cli.stdout()).toMatch(/SIGTERM: stopping/);
    expect(cli.stdout()).toMatch(/Stopped\./);
  });
});

describe("the subcommands drive a running emulator", () => {
  it("moves the clock, switches a scenario, lists requests and resets", async () => {
    const cli = startCli(["--port", "0", "--in-memory", "--clock", "2026-03-30T12:00:00Z", "--freeze-clock"]);
    const url = await cli.ready();
    const ahead = await runToExit(["clock", "+1h", "--url", url]);
    expect(ahead.code, ahead.stderr).toBe(0);
    expect(JSON.parse(ahead.stdout).iso).toBe("2026-03-30T13:00:00.000Z");
    const back = await runToExit(["clock", "-30m", "--url", url]);
    expect(JSON.parse(back.stdout).iso).toBe("2026-03-30T12:30:00.000Z");

    const on = await runToExit(["scenario", "on", "aws-assume-role-denied", "--url", url]);
    expect(on.code, on.stderr).toBe(0);
    const active = await (await fetch(`${url}/_emulator/scenarios`)).json();
    expect(JSON.stringify(active)).toContain("aws-assume-role-denied");

    const requests = await runToExit(["requests", "--limit", "5", "--url", url]);
    expect(requests.code, requests.stderr).toBe(0);
    expect(JSON.parse(requests.stdout)).toBeTypeOf("object");

    const reset = await runToExit(["reset", "--url", url]);
    expect(reset.code, reset.stderr).toBe(0);
    await cli.stop();
  });

  it("shows the emulator's own refusal and exits 1 for an unknown scenario", async () => {
    const cli = startCli(["--port", "0", "--in-memory"]);
    const url = await cli.ready();
    const run = await runToExit(["scenario", "on", "no-such-scenario", "--url", url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no-such-scenario");
    await cli.stop();
  });

  it("runs a schedule now by name, and shows the emulator's refusal for an unknown one", async () => {
    const cli = startCli(["--port", "0", "--in-memory", "--clock", "2026-03-30T12:00:00Z", "--freeze-clock"]);
    const url = await cli.ready();
    const token = await httpLogin(url, "admin", { org_id: 0 });
    const created = await httpRequest(
      url,
      "POST",
      `${API}/schedules/create`,
      {
        name: "Weekly Sales Review",
        description: "Sales every Monday",
        metadata_type: "LIVEBOARD",
        metadata_identifier: "Sales Overview",
        time_zone: "Etc/UTC",
        recipient_details: { emails: ["sales@example.com"] },
      },
      { token },
    );
    expect(created.status, created.text).toBe(200);
    const run = await runToExit(["run-schedule", "Weekly Sales Review", "--org", "Primary", "--url", url]);
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer).toMatchObject({ schedule: { id: created.body.id, name: "Weekly Sales Review" }, run: { status: "RUNNING" } });
    const outbox = await (await fetch(`${url}/_emulator/outbox`)).json();
    expect(outbox.messages.map((m: any) => [m.run_id, m.to])).toEqual([[answer.run_id, ["sales@example.com"]]]);
    const unknown = await runToExit(["run-schedule", "Nightly", "--url", url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Schedule 'Nightly' does not exist in namespace 'default'");
    await cli.stop();
  });

  it("says no emulator answers when none runs at the address", async () => {
    const run = await runToExit(["reset", "--url", "http://127.0.0.1:1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("No emulator answers at http://127.0.0.1:1");
  });

  it("exits 2 with the usage for a bad argument", async () => {
    const run = await runToExit(["clock", "soon"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("clock takes +1h, -30m, an ISO time, freeze or unfreeze");
  });
});
