import { badRequest } from "../errors.js";
import type { Random } from "../random.js";
import type { Hook, OutcomeOf, Rule, Scenario, TransportOutcome } from "./schema.js";

/** What a rule can be matched against: the webhook, org, URL, storage and event of the call. */
export interface Facts {
  webhook_id?: string;
  webhook_name?: string;
  org?: string;
  org_name?: string;
  url?: string;
  storage_type?: string;
  event_type?: string;
}

interface Counter {
  matched: number;
  hits: number;
}

interface Active {
  scenario: Scenario;
  source: "startup" | "runtime" | "inline";
  counters: Counter[];
}

/** One namespace's active scenarios, highest precedence first, with their hit counters. */
export interface ScenarioState {
  active: Active[];
}

/** A rule that fired: its scenario, its index, and the operation or hook it answered. */
export interface Hit {
  scenario: string;
  rule: number;
  at: string;
}

/** The part of a request context the engine reads (and where it records the rules that fire). */
export interface ScenarioScope {
  ns: { scenarios: ScenarioState; random: Random; events?: { emit(type: "scenario", data: unknown): void } };
  requestScenarios: readonly string[];
  fired?: Hit[];
}

export interface ActiveView {
  name: string;
  description?: string;
  source: Active["source"];
  inline: boolean;
  rules: (Omit<Rule, "kind" | "urlGlob"> & { hits: number; remaining: number | null })[];
}

export interface ScenarioEngine {
  /** Transport fault for an operationId (delay / error / drop), asked before body validation. */
  transport(scope: ScenarioScope, operation: string, facts?: Facts): TransportOutcome | undefined;
  /** Domain outcome asked by a service at a hook (validation.http, token.issue, …). */
  outcome<H extends Hook>(scope: ScenarioScope, hook: H, facts?: Facts): OutcomeOf<H> | undefined;
  available(): Scenario[];
  /** A namespace's state as it starts: the --scenario set. */
  initialState(): ScenarioState;
  active(state: ScenarioState): ActiveView[];
  /** Switches a scenario on; it takes precedence over every one switched on before it. */
  activate(state: ScenarioState, name: string): void;
  deactivate(state: ScenarioState, name: string): boolean;
  /** Replaces the whole active set with inline rules (PUT /_emulator/scenarios/active). */
  setInline(state: ScenarioState, scenario: Scenario): void;
  /** Throws a 400 naming the first unknown scenario of a header value. */
  checkNames(names: readonly string[]): void;
  /**
   * Swaps in a reloaded library (--watch); returns the names added, changed and removed. Active
   * scenarios that changed take their new rules (with fresh counters) in `states`.
   */
  reload(next: Map<string, Scenario>, states: Iterable<ScenarioState>): { added: string[]; changed: string[]; removed: string[] };
}

function matches(rule: Rule, kind: string, key: string, f: Facts): boolean {
  const m = rule.match;
  if (rule.kind !== kind) return false;
  if (kind === "transport" ? m.operation !== "*" && m.operation !== key : false) return false;
  if (m.webhook !== undefined && m.webhook !== f.webhook_id && m.webhook !== f.webhook_name) return false;
  if (m.org !== undefined && m.org !== f.org && m.org !== f.org_name) return false;
  if (rule.urlGlob && (f.url === undefined || !rule.urlGlob.test(f.url))) return false;
  if (m.storage_type !== undefined && m.storage_type !== f.storage_type) return false;
  if (m.event_type !== undefined && f.event_type !== undefined && m.event_type !== f.event_type) return false;
  return true;
}

const activeOf = (scenario: Scenario, source: Active["source"]): Active => ({
  scenario,
  source,
  counters: scenario.rules.map(() => ({ matched: 0, hits: 0 })),
});

/**
 * Scenario rules in force: the request's X-Emulator-Scenario ones first, then the namespace's
 * runtime activations (most recent first), then the --scenario set. First matching rule wins.
 */
export function createScenarioEngine(initial: Map<string, Scenario>, startup: string[]): ScenarioEngine {
  let library = initial;
  for (const name of startup) {
    if (!library.has(name)) {
      throw new Error(`[emulator] Unknown scenario '${name}' in --scenario. Available: ${[...library.keys()].join(", ") || "(none)"}`);
    }
  }
  const perRequest = new WeakMap<object, Active[]>();
  const requestActive = (scope: ScenarioScope) => {
    let list = perRequest.get(scope);
    if (!list) perRequest.set(scope, (list = scope.requestScenarios.map((n) => activeOf(library.get(n)!, "runtime"))));
    return list;
  };
  const known = (name: string) => {
    const scenario = library.get(name);
    if (!scenario) throw badRequest(`Unknown scenario '${name}'. Available: ${[...library.keys()].join(", ")}`);
    return scenario;
  };

  const find = (scope: ScenarioScope, kind: string, key: string, facts: Facts = {}): unknown => {
    const own = scope.ns.scenarios.active;
    if (own.length === 0 && scope.requestScenarios.length === 0) return undefined; // the common case
    const lists = scope.requestScenarios.length ? [requestActive(scope), own] : [own];
    for (const list of lists) {
      for (const act of list) {
        for (let i = 0; i < act.scenario.rules.length; i++) {
          const rule = act.scenario.rules[i]!;
          if (!matches(rule, kind, key, facts)) continue;
          const c = act.counters[i]!;
          c.matched++;
          if (rule.after !== undefined && c.matched <= rule.after) continue;
          if (rule.times !== undefined && c.hits >= rule.times) continue;
          if (rule.probability !== undefined && scope.ns.random.next() >= rule.probability) continue;
          c.hits++;
          const hit: Hit = { scenario: act.scenario.name, rule: i, at: key };
          scope.fired?.push(hit);
          scope.ns.events?.emit("scenario", hit);
          return rule.outcome;
        }
      }
    }
    return undefined;
  };

  return {
    transport: (scope, op, facts) => find(scope, "transport", op, facts) as TransportOutcome | undefined,
    // Each rule's outcome was checked against its hook's schema at load.
    outcome: <H extends Hook>(scope: ScenarioScope, hook: H, facts?: Facts) => find(scope, hook, hook, facts) as OutcomeOf<H> | undefined,
    available: () => [...library.values()],
    initialState: () => ({ active: startup.map((n) => activeOf(library.get(n)!, "startup")) }),
    active: (state) =>
      state.active.map((a) => ({
        name: a.scenario.name,
        ...(a.scenario.description !== undefined && { description: a.scenario.description }),
        source: a.source,
        inline: a.source === "inline",
        rules: a.scenario.rules.map(({ kind: _k, urlGlob: _g, ...r }, i) => ({
          ...r,
          hits: a.counters[i]!.hits,
          remaining: r.times === undefined ? null : Math.max(0, r.times - a.counters[i]!.hits),
        })),
      })),
    activate(state, name) {
      const scenario = known(name);
      state.active = [activeOf(scenario, "runtime"), ...state.active.filter((a) => a.scenario.name !== name)];
    },
    deactivate(state, name) {
      const before = state.active.length;
      state.active = state.active.filter((a) => a.scenario.name !== name);
      return state.active.length !== before;
    },
    setInline(state, scenario) {
      state.active = [activeOf(scenario, "inline")];
    },
    reload(next, states) {
      const same = (a: Scenario, b: Scenario) => JSON.stringify(a) === JSON.stringify(b);
      const added = [...next.keys()].filter((n) => !library.has(n));
      const removed = [...library.keys()].filter((n) => !next.has(n) && !startup.includes(n));
      const changed = [...next.keys()].filter((n) => library.has(n) && !same(library.get(n)!, next.get(n)!));
      // A --scenario one that vanished from disk keeps its last version.
      for (const n of startup) if (!next.has(n)) next.set(n, library.get(n)!);
      library = next;
      for (const state of states) {
        state.active = state.active.map((a) =>
          a.source !== "inline" && changed.includes(a.scenario.name) ? activeOf(next.get(a.scenario.name)!, a.source) : a,
        );
      }
      return { added, changed, removed };
    },
    checkNames(names) {
      const unknown = names.find((n) => !library.has(n));
      if (unknown !== undefined) {
        throw badRequest(`Unknown scenario '${unknown}' in X-Emulator-Scenario. Available: ${[...library.keys()].join(", ")}`);
      }
    },
  };
}
