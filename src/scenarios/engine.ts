import { badRequest } from "../errors.js";
import type { Namespace } from "../store/index.js";
import type { Outcome, Rule, Scenario } from "./schema.js";

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
  counters: Counter[];
}

/** The part of a request context the engine reads. */
export interface ScenarioScope {
  ns: Namespace;
  requestScenarios: string[];
}

export interface ScenarioEngine {
  /** Transport fault for an operationId (delay / error / drop), asked before validation. */
  transport(scope: ScenarioScope, operation: string, facts?: Facts): Outcome | undefined;
  /** Domain outcome asked by a service at a hook key (validation.http, token.issue, …). */
  outcome(scope: ScenarioScope, hook: string, facts?: Facts): Outcome | undefined;
  available(): Scenario[];
  active(ns: string): { name: string; description?: string; inline: boolean; rules: (Rule & { hits: number; remaining: number | null })[] }[];
  activate(ns: string, name: string): void;
  deactivate(ns: string, name: string): boolean;
  /** Replaces the active set with inline rules (PUT /_emulator/scenarios/active). */
  setInline(ns: string, scenario: Scenario): void;
  /** Back to the start-up set. */
  reset(ns?: string): void;
  /** Throws a 400 naming the first unknown scenario of a header value. */
  checkNames(names: string[]): void;
}

function glob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(value);
}

function matches(rule: Rule, kind: "operation" | "hook", key: string, f: Facts): boolean {
  const m = rule.match;
  if (kind === "operation" ? m.operation === undefined || (m.operation !== "*" && m.operation !== key) : m.hook !== key) return false;
  if (m.webhook !== undefined && m.webhook !== f.webhook_id && m.webhook !== f.webhook_name) return false;
  if (m.org !== undefined && m.org !== f.org && m.org !== f.org_name) return false;
  if (m.url !== undefined && (f.url === undefined || !glob(m.url, f.url))) return false;
  if (m.storage_type !== undefined && m.storage_type !== f.storage_type) return false;
  if (m.event_type !== undefined && f.event_type !== undefined && m.event_type !== f.event_type) return false;
  return true;
}

const activeOf = (scenario: Scenario): Active => ({ scenario, counters: scenario.rules.map(() => ({ matched: 0, hits: 0 })) });

export function createScenarioEngine(library: Map<string, Scenario>, startup: string[]): ScenarioEngine {
  for (const name of startup) {
    if (!library.has(name)) {
      throw new Error(`[emulator] Unknown scenario '${name}' in --scenario. Available: ${[...library.keys()].join(", ") || "(none)"}`);
    }
  }
  const perNs = new Map<string, Active[]>();
  const perRequest = new WeakMap<object, Active[]>();
  const nsActive = (ns: string) => {
    let list = perNs.get(ns);
    if (!list) perNs.set(ns, (list = startup.map((n) => activeOf(library.get(n)!))));
    return list;
  };
  const requestActive = (scope: ScenarioScope) => {
    if (scope.requestScenarios.length === 0) return [];
    let list = perRequest.get(scope);
    if (!list) perRequest.set(scope, (list = scope.requestScenarios.map((n) => activeOf(library.get(n)!))));
    return list;
  };

  const find = (scope: ScenarioScope, kind: "operation" | "hook", key: string, facts: Facts = {}) => {
    const own = nsActive(scope.ns.name);
    if (own.length === 0 && scope.requestScenarios.length === 0) return undefined; // the common case
    for (const act of [...requestActive(scope), ...own]) {
      for (let i = 0; i < act.scenario.rules.length; i++) {
        const rule = act.scenario.rules[i];
        if (!matches(rule, kind, key, facts)) continue;
        const c = act.counters[i];
        c.matched++;
        if (rule.after !== undefined && c.matched <= rule.after) continue;
        if (rule.times !== undefined && c.hits >= rule.times) continue;
        if (rule.probability !== undefined && scope.ns.random.next() >= rule.probability) continue;
        c.hits++;
        return rule.outcome;
      }
    }
    return undefined;
  };

  return {
    transport: (scope, op, facts) => find(scope, "operation", op, facts),
    outcome: (scope, hook, facts) => find(scope, "hook", hook, facts),
    available: () => [...library.values()],
    active: (ns) =>
      nsActive(ns).map((a) => ({
        name: a.scenario.name,
        description: a.scenario.description,
        inline: !library.has(a.scenario.name) || library.get(a.scenario.name) !== a.scenario,
        rules: a.scenario.rules.map((r, i) => ({
          ...r,
          hits: a.counters[i].hits,
          remaining: r.times === undefined ? null : Math.max(0, r.times - a.counters[i].hits),
        })),
      })),
    activate(ns, name) {
      const scenario = library.get(name);
      if (!scenario) throw badRequest(`Unknown scenario '${name}'. Available: ${[...library.keys()].join(", ")}`);
      const list = nsActive(ns).filter((a) => a.scenario.name !== name);
      list.push(activeOf(scenario));
      perNs.set(ns, list);
    },
    deactivate(ns, name) {
      const list = nsActive(ns);
      const next = list.filter((a) => a.scenario.name !== name);
      perNs.set(ns, next);
      return next.length !== list.length;
    },
    setInline(ns, scenario) {
      perNs.set(ns, [activeOf(scenario)]);
    },
    reset(ns) {
      if (ns === undefined) perNs.clear();
      else perNs.delete(ns);
    },
    checkNames(names) {
      const unknown = names.find((n) => !library.has(n));
      if (unknown !== undefined) {
        throw badRequest(`Unknown scenario '${unknown}' in X-Emulator-Scenario. Available: ${[...library.keys()].join(", ")}`);
      }
    },
  };
}
