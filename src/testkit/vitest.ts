/**
 * The test side of the vitest kit: a client of the run's emulator (see ./vitest-setup.ts) in a
 * namespace of this test file's own, with handles for scenarios, the clock, the journal and the inbox.
 *
 *   import { useEmulator } from "thoughtspot-channels-emulator/vitest";
 *   const emu = useEmulator();
 *   const token = await emu.login();
 *   await emu.scenarios.on("aws-assume-role-denied");
 *   const delivery = await emu.inbox.waitFor({ webhook: "zap" });
 */
import { createHash } from "node:crypto";
import { expect, inject } from "vitest";
import { EmulatorClient } from "../client.js";

export { EmulatorCallError, EmulatorClient } from "../client.js";

/** The emulator of the run, in a namespace named after this test file (or the one given). */
export function useEmulator(options: { namespace?: string; adminToken?: string } = {}): EmulatorClient {
  const url = inject("tsChannelsEmulatorUrl") ?? process.env.TS_EMULATOR_URL;
  if (!url) throw new Error("No emulator for this run: add thoughtspot-channels-emulator/vitest/setup to test.globalSetup.");
  const file = expect.getState().testPath ?? String(Math.random());
  const namespace = options.namespace ?? `t-${createHash("sha256").update(file).digest("hex").slice(0, 16)}`;
  return new EmulatorClient({ url, namespace, ...(options.adminToken && { adminToken: options.adminToken }) });
}
