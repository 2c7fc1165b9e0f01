/**
 * A vitest global setup: one emulator for the whole run, on a free port.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ["thoughtspot-channels-emulator/vitest/setup"] } });
 *
 * Options of startEmulator can be given as JSON in TS_EMULATOR_OPTIONS (e.g. '{"seed":1,"freezeClock":true}').
 */
import { startEmulator } from "../emulator.js";

declare module "vitest" {
  export interface ProvidedContext {
    tsChannelsEmulatorUrl: string;
  }
}

interface Project {
  provide(key: "tsChannelsEmulatorUrl", value: string): void;
}

export default async function setup(project: Project): Promise<() => Promise<void>> {
  const options = JSON.parse(process.env.TS_EMULATOR_OPTIONS ?? "{}") as Record<string, unknown>;
  const emu = await startEmulator({ port: 0, log: () => {}, ...options });
  project.provide("tsChannelsEmulatorUrl", emu.url);
  process.env.TS_EMULATOR_URL = emu.url;
  return () => emu.stop();
}
