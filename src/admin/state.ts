import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { ResetRequest } from "../schemas/admin.js";
import { resetNamespaces } from "../services/namespaces.js";
import { runsOf, schedulerView } from "../services/scheduler.js";
import { scheduleView } from "../services/schedules.js";
import { adminWebhookView } from "../services/webhooks.js";
import { adminBody, nsOf } from "./request.js";

/** The newest runs of each schedule GET /state shows (search's default page size). */
const STATE_RUNS = 10;

/** POST /reset, GET /state, GET /namespaces and GET /buckets: what a namespace holds, and putting it back. */
export function stateRoutes(deps: Deps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.post("/reset", async (c) => {
    const body = await adminBody(c, deps, ResetRequest);
    const target = body.namespace ?? c.req.header("x-emulator-namespace");
    await resetNamespaces(deps, target);
    return c.json({ reset: target ?? "all namespaces" });
  });

  r.get("/state", (c) => {
    const ns = nsOf(c);
    const { name, state, history } = ns;
    const rc = c.get("rc");
    return c.json({
      namespace: name,
      orgs: state.orgs,
      users: state.users.map(({ password: _p, ...u }) => u),
      preferences: state.preferences,
      webhooks: state.webhooks.map(adminWebhookView),
      liveboards: state.liveboards,
      // The API's shape with its newest runs, the org, the next run and what the scheduler skipped (README, "Schedules").
      schedules: state.schedules.map((s) => ({
        ...scheduleView(s, runsOf(ns, s).slice(0, STATE_RUNS)),
        org: s.org,
        ...schedulerView(rc, s),
      })),
      tokens: state.tokens.size,
      history_jobs: history.size,
      // What a dashboard needs to know of the emulator's options (no secret among them).
      settings: {
        release: deps.config.release,
        cloud: deps.config.cloud,
        retention_days: deps.config.retentionDays,
        webhooks_per_org: deps.config.webhooksPerOrg,
        delivery_attempts: deps.config.deliveryAttempts,
        journal_size: deps.config.journalSize,
      },
    });
  });

  // The namespaces that hold anything (the dashboard's picker); "default" always.
  r.get("/namespaces", (c) => c.json({ namespaces: [...new Set(["default", ...deps.namespaces.names()])].sort() }));

  r.get("/buckets", async (c) => c.json({ objects: await nsOf(c).buckets.list() }));
  return r;
}
