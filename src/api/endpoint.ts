import { setTimeout as sleep } from "node:timers/promises";
import type { Context, Hono } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../app-env.js";
import type { AuthedContext, Principal, RequestContext } from "../context.js";
import { ApiError, forbidden, serverError, unauthorized } from "../errors.js";
import { JsonStream, JsonText } from "../json-text.js";
import { requestHeader } from "../request-header.js";
import type { Privilege } from "../schemas/common.js";
import { MESSAGES, type Messages, textFor } from "../schemas/messages.js";
import type { OperationId } from "../schemas/operations.js";
import {
  atLeast,
  ENDPOINT_SINCE,
  FEATURES,
  REQUEST_FIELDS,
  RESPONSE_FIELDS,
  unreleased,
  type VersionTag,
  withoutPaths,
} from "../schemas/releases.js";
import { authenticateCall } from "../services/auth.js";
import { readJson, validationError } from "./body.js";

/** Who may call an endpoint: anyone, any signed-in user, or users holding one of the privileges. */
export type Access = "public" | "authenticated" | readonly Privilege[];

interface Common<S extends z.ZodType> {
  method: "GET" | "POST";
  path: string;
  operationId: OperationId;
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
  /** Its 401/403/500 texts (the spec's examples, schemas/messages.ts). */
  messages: Messages;
  /** The release it arrived in (schemas/releases.ts): it is mounted only from that release on. */
  since: VersionTag;
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
  const messages = MESSAGES[spec.operationId];
  return {
    ...meta,
    messages,
    since: ENDPOINT_SINCE[spec.operationId],
    run(rc, principal, raw, c) {
      const body = parseBody(spec.body, raw);
      if (spec.access === "public") return spec.handler(rc, body, c);
      if (!principal) throw unauthorized(messages[401]);
      return spec.handler({ ...rc, principal }, body, c);
    },
  };
}

function checkAccess(principal: Principal | undefined, e: Endpoint): void {
  if (!Array.isArray(e.access) || !principal) return;
  const privileges = principal.user.privileges;
  if (!e.access.some((p) => privileges.includes(p))) throw forbidden(e.messages[403]);
}

/** A scenario's transport fault for this operation: latency, a dropped connection, an error in the envelope. */
async function applyFault(rc: RequestContext, e: Endpoint, principal: Principal | undefined, c: Context<AppEnv>): Promise<void> {
  const fault = rc.deps.scenarios.transport(rc, e.operationId, { org: principal?.org.id, org_name: principal?.org.name });
  if (!fault) return;
  if (fault.delay_ms) await sleep(fault.delay_ms);
  if (fault.drop) {
    c.env?.incoming?.socket?.destroy();
    throw serverError(e.messages[500]);
  }
  if (fault.error) {
    const { status, message } = fault.error;
    throw new ApiError(status, message ?? textFor(e.messages, status));
  }
}

/** Whether the emulated release has the endpoint (an absent one answers like an unknown path). */
export function inRelease(e: Endpoint, release: string): boolean {
  return atLeast(release, e.since);
}

/** The Origin and Host of a browser's call (only when it has an Origin). */
function browserOf(c: Context<AppEnv>): { origin: string; host: string } | undefined {
  const origin = requestHeader(c, "origin");
  const host = requestHeader(c, "host");
  return origin && host ? { origin, host } : undefined;
}

/**
 * Mounts an endpoint for the emulated release: auth → privileges → scenario transport faults →
 * body (without the fields of later releases) → validation → handler → response (without the
 * fields of later releases). Every failure is thrown as ApiError and rendered once by the app's onError.
 */
export function mount(app: Hono<AppEnv>, e: Endpoint, release: string): void {
  const route = e.method === "GET" ? app.get.bind(app) : app.post.bind(app);
  const laterIn = unreleased(REQUEST_FIELDS[e.operationId], release);
  const laterOut = unreleased(RESPONSE_FIELDS[e.operationId], release);
  const orgSelector = atLeast(release, FEATURES.orgScopedTokens);
  route(e.path, async (c) => {
    const rc = c.get("rc");
    c.set("operation", e);
    const principal =
      e.access === "public"
        ? undefined
        : await authenticateCall(
            rc,
            {
              credential: c.get("credential"),
              orgSelector: orgSelector ? requestHeader(c, "x-org-selector") : undefined,
              browser: browserOf(c),
            },
            e.messages[401],
          );
    c.set("principal", principal);
    checkAccess(principal, e);
    await applyFault(rc, e, principal, c);
    let raw = e.method === "POST" ? await readJson(c, rc.deps.config.bodyLimitBytes) : {};
    if (laterIn.length) raw = withoutPaths(raw, laterIn);
    let result = await e.run(rc, principal, raw, c);
    if (e.status === 204) return c.body(null, 204);
    c.set("result", result);
    if (result instanceof JsonText) return c.body(result.text, 200, { "content-type": "application/json" });
    if (result instanceof JsonStream) return c.body(result.toReadable(), 200, { "content-type": "application/json" });
    if (laterOut.length) result = withoutPaths(result, laterOut);
    // Serialized once: the journal keeps this text (one string, cheap for the GC to carry and a
    // snapshot of the answer) rather than the object graph.
    const text = JSON.stringify(result);
    c.set("result", new JsonText(text));
    return c.body(text, 200, { "content-type": "application/json" });
  });
}
