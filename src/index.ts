/** Package entry point: the programmatic API for in-process tests and tools. */

export { API_BASE } from "./api/index.js";
export { createApp } from "./app.js";
export { type Answer, type ClientOptions, EmulatorCallError, EmulatorClient } from "./client.js";
export type { EmulatorConfig } from "./config.js";
export { DEFAULT_CONFIG } from "./config.js";
export type { Emulator, EmulatorOptions, RunningEmulator } from "./emulator.js";
export { createEmulator, PortInUseError, startEmulator } from "./emulator.js";
export { ApiError } from "./errors.js";
export type { Difference, EmulatorEvent, InboxEntry, JournalEntry, Matcher, Observers, OutboxEntry } from "./handles.js";
export type { Hook, OutcomeOf, Rule, Scenario } from "./scenarios/schema.js";
