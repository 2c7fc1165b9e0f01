import type { Clock } from "../clock.js";
import type { OutgoingAuth } from "../delivery/outgoing-auth.js";
import type { Background } from "./background.js";
import type { Buckets } from "./buckets.js";
import type { EmulatorConfig } from "../config.js";
import type { ScenarioEngine } from "../scenarios/engine.js";
import type { Namespace, Store } from "../store/index.js";
import type { Principal } from "../types.js";

/** Everything a service needs: injected once per app (deps) plus the per-request namespace and caller. */
export interface Deps {
  config: EmulatorConfig;
  store: Store;
  clock: Clock;
  fetch: typeof fetch;
  scenarios: ScenarioEngine;
  /** Where storage checks write their dummy files. */
  buckets: Buckets;
  outgoingAuth: OutgoingAuth;
  /** Delivery retries still running; stopped by close(). */
  background: Background;
  /** Base URL the emulator is reachable at (used in payloads). */
  baseUrl: () => string;
  log: (line: string) => void;
}

export interface RequestContext {
  deps: Deps;
  ns: Namespace;
  /** Scenario names from X-Emulator-Scenario for this request only. */
  requestScenarios: string[];
}

export interface AuthedContext extends RequestContext {
  principal: Principal;
}
