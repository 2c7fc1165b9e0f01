import type { Context, Hono } from "hono";
import { setTimeout as sleep } from "node:timers/promises";
import type { z } from "zod";
import { ApiError, badRequest, forbidden, serverError, unauthorized } from "../errors.js";
import { readJson, validationError } from "./body.js";
import { authenticate } from "../services/auth.js";
import type { AuthedContext, RequestContext } from "../services/context.js";
import type { Privilege } from "../types.js";
import type { AppEnv } from "../app-env.js";

type Access = "public" | "authenticated" | Privilege[];

/** One ThoughtSpot operation: path, operationId, who may call it, its body schema and handler. */
export interface Endpoint<S extends z.ZodType = z.ZodType> {
  method: "GET" | "POST";
  path: string;
  operationId: string;
  /** Verb phrase for the 401/403/500 texts: "Authentication required to <phrase>." */
  phrase: string;
  access: Access;
  body?: S;
  handler: (ctx: AuthedContext, body: z.infer<S>, c: Context<AppEnv>) => Promise<Response> | Response;
}

export const endpoint = <S extends z.ZodType>(e: Endpoint<S>): Endpoint => e as unknown as Endpoint;

function checkAccess(ctx: AuthedContext, e: Endpoint): void {
  if (!Array.isArray(e.access)) return;
  const privileges = ctx.principal.user.privileges;
  if (!e.access.some((p) => privileges.includes(p))) throw forbidden(e.phrase);
}

/**
 * Mounts an endpoint: auth → privileges → scenario transport faults → body validation → handler.
 * Every failure is thrown as ApiError and rendered once by the app's onError.
 */
export function mount(app: Hono<AppEnv>, e: Endpoint): void {
  const route = e.method === "GET" ? app.get.bind(app) : app.post.bind(app);
  route(e.path, async (c) => {
    const base: RequestContext = c.get("rc");
    c.set("operation", e);
    const principal = e.access === "public" ? undefined : authenticate(base, c.get("credential"), e.phrase);
    const ctx = { ...base, principal } as AuthedContext;
    c.set("rc", ctx);
    checkAccess(ctx, e);

    const fault = base.deps.scenarios.transport(ctx, e.operationId, { org: principal?.org.id, org_name: principal?.org.name });
    if (fault?.delay_ms) await sleep(fault.delay_ms);
    if (fault?.drop) {
      c.env?.incoming?.socket?.destroy();
      throw serverError(e.phrase);
    }
    if (fault?.error) {
      const { status, message } = fault.error;
      const standard =
        status === 401 ? unauthorized(e.phrase) : status === 403 ? forbidden(e.phrase) : status === 400 ? badRequest(`Invalid request to ${e.phrase}.`) : serverError(e.phrase);
      throw new ApiError(status, message ?? standard.debug);
    }

    let body: unknown = {};
    if (e.method === "POST") body = await readJson(c, base.deps.config.bodyLimitBytes);
    if (e.body) {
      const parsed = e.body.safeParse(body);
      if (!parsed.success) throw validationError(parsed.error);
      body = parsed.data;
    }
    return e.handler(ctx, body, c);
  });
}
