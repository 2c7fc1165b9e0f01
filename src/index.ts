/** Package entry point: the programmatic API for in-process tests and tools. */
export { createEmulator, startEmulator } from "./emulator.js";
export type { Emulator, EmulatorOptions, RunningEmulator } from "./emulator.js";
export { createApp, API_BASE } from "./app.js";
export type { EmulatorConfig } from "./config.js";
export { DEFAULT_CONFIG } from "./config.js";
export { ApiError } from "./errors.js";
export type { Scenario, Rule, Outcome } from "./scenarios/schema.js";
