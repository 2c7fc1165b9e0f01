import { Hono } from "hono";
import { readJson } from "../api/body.js";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { badRequest } from "../errors.js";
import { redactUserinfo } from "../redact.js";
import { parseScenario, ScenarioError } from "../scenarios/schema.js";
import { nsOf } from "./request.js";

/** The scenario library and a namespace's active set: list, switch on/off, replace with inline rules. */
export function scenarioRoutes(deps: Deps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  const { scenarios } = deps;
  const activeOf = (c: Parameters<typeof nsOf>[0]) => ({
    active: scenarios.active(nsOf(c).scenarios).map((a) => ({ ...a, rules: a.rules.map(redactRule) })),
  });

  r.get("/scenarios", (c) => c.json({ namespace: nsOf(c).name, available: scenarios.available().map(publicView), ...activeOf(c) }));
  r.post("/scenarios/:name/activate", (c) => {
    scenarios.activate(nsOf(c).scenarios, c.req.param("name"));
    return c.json(activeOf(c));
  });
  r.post("/scenarios/:name/deactivate", (c) => {
    const ns = nsOf(c);
    if (!scenarios.deactivate(ns.scenarios, c.req.param("name"))) {
      throw badRequest(`Scenario '${c.req.param("name")}' is not active in namespace '${ns.name}'.`);
    }
    return c.json(activeOf(c));
  });
  r.put("/scenarios/active", async (c) => {
    const raw = await readJson(c, deps.config.bodyLimitBytes);
    try {
      scenarios.setInline(nsOf(c).scenarios, parseScenario(raw, { name: "inline" }));
    } catch (err) {
      if (err instanceof ScenarioError) throw badRequest(`Invalid scenario at ${err.message}`);
      throw err;
    }
    return c.json(activeOf(c));
  });
  return r;
}

/** A library scenario as JSON: its rules without the compiled parts. */
function publicView(s: { name: string; description?: string; rules: { kind: string; urlGlob?: unknown; match: { url?: string } }[] }) {
  return { ...s, rules: s.rules.map(({ kind: _k, urlGlob: _g, ...rule }) => redactRule(rule)) };
}

/** A rule's `match.url` glob shown without a user:password@ (admin views show no URL credentials). */
function redactRule<R extends { match: { url?: string } }>(rule: R): R {
  return rule.match.url === undefined ? rule : { ...rule, match: { ...rule.match, url: redactUserinfo(rule.match.url) } };
}
