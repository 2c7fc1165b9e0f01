import { monitorEventLoopDelay } from "node:perf_hooks";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { VERSION } from "../version.js";
import { clockView } from "./clock.js";

/** GET /health, GET /metrics and POST /metrics/reset. */
export function healthRoutes(deps: Deps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  const started = Date.now();
  r.get("/health", (c) =>
    c.json({
      status: "ok",
      version: VERSION,
      uptime_ms: Date.now() - started,
      clock: clockView(deps),
      persistence: deps.config.dataDir ? "file" : "memory",
    }),
  );

  // Event-loop delay since start (or the last reset): the benchmark reads it to check that
  // persisting never stalls request handling.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  r.get("/metrics", (c) => {
    const mem = process.memoryUsage();
    const { namespaces, history_jobs, commits, changes, write_ms } = deps.store.stats();
    return c.json({
      event_loop_delay_ms: { mean: ms(loop.mean), p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      rss_bytes: mem.rss,
      heap_used_bytes: mem.heapUsed,
      history_jobs,
      namespaces,
      // Group commits since start: how many changes each carried, and the time spent writing.
      commits: { count: commits, changes, changes_per_commit: commits ? Math.round((changes / commits) * 100) / 100 : 0, write_ms },
    });
  });
  r.post("/metrics/reset", (c) => {
    loop.reset();
    return c.json({ reset: true });
  });
  return r;
}
