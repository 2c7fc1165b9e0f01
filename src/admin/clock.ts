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

/** How long POST /clock waits for what the move made due (schedule runs, delivery tries) before it answers. */
const SETTLE_MS = 30_000;

/**
 * GET /clock and POST /clock {now?, advance_ms?, freeze?}. A move answers once everything due by
 * the new time has happened (docs/decisions.md, "The emulator clock"), or after SETTLE_MS.
 */
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
    const moved = clockView(deps);
    deps.events.broadcast("clock", moved);
    await deps.clock.settled(SETTLE_MS);
    return c.json(moved);
  });
  return r;
}
