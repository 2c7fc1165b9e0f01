import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { clockRoutes } from "./clock.js";
import { describeRoutes } from "./describe.js";
import { healthRoutes } from "./health.js";
import { historyRoutes } from "./history.js";
import { jobRoutes } from "./jobs.js";
import { observeRoutes } from "./observe.js";
import { scenarioRoutes } from "./scenarios.js";
import { scheduleRoutes } from "./schedules.js";
import { stateRoutes } from "./state.js";
import { uiRoutes } from "./ui.js";

/** Emulator-only routes, mounted under /_emulator. */
export function adminRoutes(deps: Deps): Hono<AppEnv> {
  const admin = new Hono<AppEnv>();
  for (const routes of [
    describeRoutes,
    healthRoutes,
    stateRoutes,
    clockRoutes,
    scenarioRoutes,
    jobRoutes,
    scheduleRoutes,
    historyRoutes,
    observeRoutes,
    uiRoutes,
  ])
    admin.route("/", routes(deps));
  return admin;
}
