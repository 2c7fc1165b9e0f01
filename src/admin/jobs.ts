import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { DeliveryRequest, SynthesizeRequest } from "../schemas/admin.js";
import { runDelivery } from "../services/deliveries.js";
import { synthesize } from "../services/synthesis.js";
import { adminBody } from "./request.js";

/** POST /deliveries (one emulated Liveboard schedule run) and POST /jobs/synthesize (past history). */
export function jobRoutes(deps: Deps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.post("/deliveries", async (c) => c.json(await runDelivery(c.get("rc"), await adminBody(c, deps, DeliveryRequest))));
  r.post("/jobs/synthesize", async (c) => c.json(await synthesize(c.get("rc"), await adminBody(c, deps, SynthesizeRequest))));
  return r;
}
