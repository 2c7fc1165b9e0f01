import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { ScheduleRunQuery } from "../schemas/admin.js";
import { runScheduleNow } from "../services/schedules.js";
import { query } from "./request.js";

/** POST /schedules/:schedule/run: one run of a schedule now, whatever its status (the dashboard's "Run now"). */
export function scheduleRoutes(_deps: Deps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.post("/schedules/:schedule/run", async (c) =>
    c.json(await runScheduleNow(c.get("rc"), c.req.param("schedule"), query(ScheduleRunQuery, c.req.query()).org)),
  );
  return r;
}
