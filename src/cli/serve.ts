import { resolve } from "node:path";
import type { EmulatorConfig } from "../config.js";
import { PortInUseError, type RunningEmulator, startEmulator } from "../emulator.js";
import { flushStderr } from "../log.js";
import { PACKAGE_ROOT } from "../paths.js";

/** The fixtures shipped with the package (their demo passwords may be printed; a user's own never are). */
const builtIn = (file: string | undefined) => file === undefined || resolve(file).startsWith(resolve(PACKAGE_ROOT, "fixtures"));

/** A line on stdout, after the log lines still pending for stderr (they keep their order). */
function log(line: string): void {
  flushStderr();
  console.log(`[emulator] ${line}`);
}

function banner(emu: RunningEmulator, config: EmulatorConfig): void {
  const state = emu.store.namespace("default").state;
  const port = new URL(emu.url).port;
  const loopback = ["127.0.0.1", "localhost", "::1"].includes(config.host);
  const browser = loopback ? `http://localhost:${port}` : emu.url;
  log(`ThoughtSpot communication-channels emulator listening on ${emu.url}`);
  const tokenHint = config.adminToken ? "  (it asks for the admin token, or add #admin_token=<token> to the URL)" : "";
  if (loopback)
    log(`in a browser (the same site as a web app on http://localhost:5173): ${browser}   dashboard: ${browser}/_emulator/ui/${tokenHint}`);
  else log(`dashboard: ${emu.url}/_emulator/ui/${tokenHint}`);
  log(
    `release: ${config.release} (${config.cloud.toUpperCase()}-hosted)   data: ${config.dataDir ?? "in memory"}   error shape: ${config.errorShape}   retention: ${config.retentionDays} days${config.seed !== undefined ? `   seed: ${config.seed}` : ""}`,
  );
  if (builtIn(config.fixturesFile)) {
    log(`users (username/password): ${state.users.map((u) => `${u.name}/${u.password}`).join(", ")}`);
    log(`trusted-auth secret_key: ${state.secret_key}`);
  } else {
    // A fixtures file of the user's own may hold real-looking secrets: never print them.
    log(`users: ${state.users.map((u) => u.name).join(", ")} (passwords and trusted-auth secret_key: see ${config.fixturesFile})`);
  }
  // Into the org that holds the fixtures' webhooks, if any: that is where a demo's history is.
  const org = state.webhooks[0]?.org;
  const orgPart = org && org.id !== "0" ? `,"org_id":${Number(org.id)}` : "";
  const password = builtIn(config.fixturesFile) ? "admin" : "<password>";
  log(
    `try${org ? ` (org ${org.name}, where the fixtures' webhooks are)` : ""}:\n  curl -s -X POST ${browser}/api/rest/2.0/auth/token/full -H 'Content-Type: application/json' -d '{"username":"tsadmin","password":"${password}"${orgPart}}'`,
  );
}

/** Starts the emulator for the CLI; a busy port is one line and exit 2, anything unusable a clear line and exit 1. */
export async function serve(config: EmulatorConfig): Promise<void> {
  let emu: RunningEmulator;
  try {
    emu = await startEmulator(config);
  } catch (err) {
    const message = (err as Error).message;
    flushStderr();
    console.error(message.startsWith("[emulator]") ? message : `[emulator] ${(err as Error).stack}`);
    process.exit(err instanceof PortInUseError ? 2 : 1);
  }
  banner(emu, config);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping (finishing pending writes)…`);
    await emu.stop();
    log(config.dataDir ? `Stopped; every acknowledged change is in ${config.dataDir}.` : "Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
