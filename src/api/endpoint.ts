import { setTimeout as sleep } from "node:timers/promises";
import type { Context, Hono } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../app-env.js";
import type { AuthedContext, Principal, RequestContext } from "../context.js";
import { ApiError, badRequest, forbidden, serverError, unauthorized } from "../errors.js";
import { JsonStream, JsonText } from "../json-text.js";
import type { Privilege } from "../schemas/common.js";
import type { OperationId } from "../schemas/operations.js";
import { authenticate } from "../services/auth.js";
import { readJson, validationError } from "./body.js";

/** Who may call an endpoint: anyone, any signed-in user, or users holding one of the privileges. */
export type Access = "public" | "authenticated" | readonly Privilege[];

interface Common<S extends z.ZodType> {
  method: "GET" | "POST";
  path: string;
  operationId: OperationId;
  /** Verb phrase for the 401/403/500 texts: "Authentication required to <phrase>." */
  phrase: string;
  body?: S;
  /** The success status: 204 answers no body, 200 the handler's value as JSON. */
  status: 200 | 204;
}

type Handler<Ctx, S extends z.ZodType> = (ctx: Ctx, body: z.infer<S>, c: Context<AppEnv>) => unknown;
interface PublicSpec<S extends z.ZodType> extends Common<S> {
  access: "public";
  handler: Handler<RequestContext, S>;
}
interface AuthedSpec<S extends z.ZodType> extends Common<S> {
  access: "authenticated" | readonly Privilege[];
  handler: Handler<AuthedContext, S>;
}

/** One ThoughtSpot operation: path, operationId, who may call it, its body schema and handler. */
export interface Endpoint {
  method: "GET" | "POST";
  path: string;
  operationId: OperationId;
  phrase: string;
  access: Access;
  status: 200 | 204;
  body?: z.ZodType;
  /** Validates the body and calls the handler (with the principal unless the endpoint is public). */
  run(rc: RequestContext, principal: Principal | undefined, body: unknown, c: Context<AppEnv>): unknown;
}

function parseBody<S extends z.ZodType>(schema: S | undefined, raw: unknown): z.infer<S> {
  if (!schema) return raw as z.infer<S>;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function endpoint<S extends z.ZodType = z.ZodType<Record<string, never>>>(spec: PublicSpec<S> | AuthedSpec<S>): Endpoint {
  const { handler: _h, ...meta } = spec;
  return {
    ...meta,
    run(rc, principal, raw, c) {
      const body = parseBody(spec.body, raw);
      if (spec.access === "public") return spec.handler(rc, body, c);
      if (!principal) throw unauthorized(spec.phrase);
      return spec.handler({ ...rc, principal }, body, c);
    },
  };
}

function checkAccess(principal: Principal | undefined, e: Endpoint): void {
  if (!Array.isArray(e.access) || !principal) return;
  const privileges = principal.user.privileges;
  if (!e.access.some((p) => privileges.includes(p))) throw forbidden(e.phrase);
}

/** A scenario's transport fault for this operation: latency, a dropped connection, an error in the envelope. */
async function applyFault(rc: RequestContext, e: Endpoint, principal: Principal | undefined, c: Context<AppEnv>): Promise<void> {
  const fault = rc.deps.scenarios.transport(rc, e.operationId, { org: principal?.org.id, org_name: principal?.org.name });
  if (!fault) return;
  if (fault.delay_ms) await sleep(fault.delay_ms);
  if (fault.drop) {
    c.env?.incoming?.socket?.destroy();
    throw serverError(e.phrase);
  }
  if (fault.error) {
    const { status, message } = fault.error;
    const standard =
      status === 401
        ? unauthorized(e.phrase)
        : status === 403
          ? forbidden(e.phrase)
          : status === 400
            ? badRequest(`Invalid request to ${e.phrase}.`)
            : serverError(e.phrase);
    throw new ApiError(status, message ?? standard.debug);
  }
}

/**
 * Mounts an endpoint: auth → privileges → scenario transport faults → body validation → handler.
 * Every failure is thrown as ApiError and rendered once by the app's onError.
 */
export function mount(app: Hono<AppEnv>, e: Endpoint): void {
  const route = e.method === "GET" ? app.get.bind(app) : app.post.bind(app);
  route(e.path, async (c) => {
    const rc = c.get("rc");
    c.set("operation", e);
    const principal = e.access === "public" ? undefined : authenticate(rc, c.get("credential"), e.phrase);
    checkAccess(principal, e);
    await applyFault(rc, e, principal, c);
    const raw = e.method === "POST" ? await readJson(c, rc.deps.config.bodyLimitBytes) : {};
    const result = await e.run(rc, principal, raw, c);
    if (e.status === 204) return c.body(null, 204);
    if (result instanceof JsonText) return c.body(result.text, 200, { "content-type": "application/json" });
    if (result instanceof JsonStream) return c.body(result.toReadable(), 200, { "content-type": "application/json" });
    return c.json(result, 200);
  });
}
