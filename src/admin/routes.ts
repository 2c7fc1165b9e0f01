import { Hono, type Context } from "hono";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { z } from "zod";
import type { AppEnv } from "../app-env.js";
import { readJson } from "../api/body.js";
import { badRequest } from "../errors.js";
import { describeZodError, RuleSchema } from "../scenarios/schema.js";
import type { Deps, RequestContext } from "../services/context.js";
import { runDelivery } from "../services/deliveries.js";
import { synthesize } from "../services/synthesis.js";
import { redactWebhook } from "../services/webhooks.js";
import { VERSION } from "../version.js";

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(`Invalid admin request at ${describeZodError(r.error)}`);
  return r.data;
}

const Clock = z
  .object({
    now: z.union([z.string(), z.number()]).optional(),
    advance_ms: z.number().optional(),
    freeze: z.boolean().optional(),
  })
  .strict();

/** The largest epoch milliseconds a Date can hold. */
const MAX_TIME = 8.64e15;

const Synthesize = z
  .object({
    channel_identifier: z.string().optional(),
    org_identifier: z.string().optional(),
    days: z.number().min(0).max(3650).default(3),
    runs_per_day: z.number().min(0).max(100_000).default(8),
    failure_rate: z.number().min(0).max(1).default(0.05),
    retry_rate: z.number().min(0).max(1).default(0.1),
  })
  .strict();

const Delivery = z
  .object({
    channel_identifier: z.string().min(1),
    org_identifier: z.string().optional(),
    schedule_name: z.string().min(1).default("Weekly Sales Review"),
    liveboard_name: z.string().min(1).default("Sales Overview"),
    recipients: z
      .array(z.object({ type: z.enum(["USER", "EXTERNAL"]), id: z.string().nullish(), name: z.string().nullish(), email: z.string().min(3) }).strict())
      .optional(),
    wait: z.boolean().default(false),
  })
  .strict();

const Inline = z
  .object({ name: z.string().default("inline"), description: z.string().optional(), rules: z.array(RuleSchema) })
  .strict();

/** Emulator-only routes under /_emulator: health, reset, state, clock, scenarios, job synthesis. */
export function adminRoutes(deps: Deps): Hono<AppEnv> {
  const admin = new Hono<AppEnv>();
  const jsonBody = (c: Context<AppEnv>) => readJson(c, deps.config.bodyLimitBytes, true);
  const started = Date.now();
  const nsName = (rc: RequestContext) => rc.ns.name;
  const clockView = () => ({ now: deps.clock.now(), iso: new Date(deps.clock.now()).toISOString(), frozen: deps.clock.frozen });

  admin.get("/health", (c) =>
    c.json({ status: "ok", version: VERSION, uptime_ms: Date.now() - started, clock: clockView(), persistence: deps.config.dataDir ? "file" : "memory" }),
  );

  // Event-loop delay since start (or the last reset): the benchmark reads it to check that
  // persisting never stalls request handling.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  admin.get("/metrics", (c) => {
    const mem = process.memoryUsage();
    const jobs = deps.store.names().reduce((n, name) => n + deps.store.namespace(name).history.size, 0);
    return c.json({
      event_loop_delay_ms: { mean: ms(loop.mean), p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      rss_bytes: mem.rss,
      heap_used_bytes: mem.heapUsed,
      history_jobs: jobs,
      namespaces: deps.store.names().length,
    });
  });
  admin.post("/metrics/reset", (c) => {
    loop.reset();
    return c.json({ reset: true });
  });

  admin.post("/reset", async (c) => {
    const body = parse(z.object({ namespace: z.string().optional() }).strict(), await jsonBody(c));
    const target = body.namespace ?? c.req.header("x-emulator-namespace");
    await deps.store.reset(target);
    deps.scenarios.reset(target);
    return c.json({ reset: target ?? "all namespaces" });
  });

  admin.get("/state", (c) => {
    const { state, history } = c.get("rc").ns;
    return c.json({
      namespace: nsName(c.get("rc")),
      orgs: state.orgs,
      users: state.users.map(({ password: _p, ...u }) => u),
      preferences: state.preferences,
      webhooks: state.webhooks.map(redactWebhook),
      tokens: state.tokens.length,
      history_jobs: history.size,
    });
  });

  admin.get("/clock", (c) => c.json(clockView()));
  admin.post("/clock", async (c) => {
    const body = parse(Clock, await jsonBody(c));
    let target = deps.clock.now();
    if (body.now !== undefined) target = typeof body.now === "number" ? body.now : Date.parse(body.now);
    if (body.advance_ms !== undefined) target += body.advance_ms;
    if (!Number.isFinite(target) || Math.abs(target) > MAX_TIME) {
      throw badRequest(`The clock must stay a valid time: now must be an ISO time or epoch milliseconds and advance_ms a number (got ${JSON.stringify(body)}).`);
    }
    // Freeze first (and unfreeze last) so the instant set is exactly the one reported.
    if (body.freeze === true) deps.clock.freeze(true);
    if (body.now !== undefined || body.advance_ms !== undefined) deps.clock.set(target);
    if (body.freeze === false) deps.clock.freeze(false);
    return c.json(clockView());
  });

  admin.get("/scenarios", (c) =>
    c.json({ namespace: nsName(c.get("rc")), available: deps.scenarios.available(), active: deps.scenarios.active(nsName(c.get("rc"))) }),
  );
  admin.post("/scenarios/:name/activate", (c) => {
    deps.scenarios.activate(nsName(c.get("rc")), c.req.param("name"));
    return c.json({ active: deps.scenarios.active(nsName(c.get("rc"))) });
  });
  admin.post("/scenarios/:name/deactivate", (c) => {
    const removed = deps.scenarios.deactivate(nsName(c.get("rc")), c.req.param("name"));
    if (!removed) throw badRequest(`Scenario '${c.req.param("name")}' is not active in namespace '${nsName(c.get("rc"))}'.`);
    return c.json({ active: deps.scenarios.active(nsName(c.get("rc"))) });
  });
  admin.put("/scenarios/active", async (c) => {
    const body = parse(Inline, await jsonBody(c));
    deps.scenarios.setInline(nsName(c.get("rc")), body);
    return c.json({ active: deps.scenarios.active(nsName(c.get("rc"))) });
  });

  admin.get("/buckets", async (c) => c.json({ objects: await deps.buckets.list() }));

  admin.post("/deliveries", async (c) => {
    const body = parse(Delivery, await jsonBody(c));
    return c.json(await runDelivery(c.get("rc"), body));
  });

  admin.post("/jobs/synthesize", async (c) => {
    const body = parse(Synthesize, await jsonBody(c));
    return c.json(await synthesize(c.get("rc"), body));
  });
  return admin;
}
