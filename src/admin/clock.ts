import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { badRequest } from "../errors.js";
import { ClockRequest } from "../schemas/admin.js";
import { adminBody } from "./request.js";

/** The largest epoch milliseconds a Date can hold. */
const MAX_TIME = 8.64e15;

export const clockView = (deps: Deps) => ({
  now: deps.clock.now(),
  iso: new Date(deps.clock.now()).toISOString(),
  frozen: deps.clock.frozen,
});

/** GET /clock and POST /clock {now?, advance_ms?, freeze?}. */
export function clockRoutes(deps: Deps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.get("/clock", (c) => c.json(clockView(deps)));
  r.post("/clock", async (c) => {
    const body = await adminBody(c, deps, ClockRequest);
    let target = deps.clock.now();
    if (body.now !== undefined) target = typeof body.now === "number" ? body.now : Date.parse(body.now);
    if (body.advance_ms !== undefined) target += body.advance_ms;
    if (!Number.isFinite(target) || Math.abs(target) > MAX_TIME) {
      throw badRequest(
        `The clock must stay a valid time: now must be an ISO time or epoch milliseconds and advance_ms a number (got ${JSON.stringify(body)}).`,
      );
    }
    // Freeze first (and unfreeze last) so the instant set is exactly the one reported.
    if (body.freeze === true) deps.clock.freeze(true);
    if (body.now !== undefined || body.advance_ms !== undefined) deps.clock.set(target);
    if (body.freeze === false) deps.clock.freeze(false);
    deps.events.broadcast("clock", clockView(deps));
    return c.json(clockView(deps));
  });
  return r;
}
