import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { setTimeout as sleep } from "node:timers/promises";
import type { z } from "zod";
import { ApiError, badRequest, forbidden, serverError } from "../errors.js";
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

/** "events[0].type" for zod paths. */
function fieldPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

/** A zod failure as a ThoughtSpot 400 whose text names the field. */
function validationError(err: z.ZodError): ApiError {
  const issue = err.issues[0];
  const field = fieldPath(issue.path);
  // Our own texts are sentences (ThoughtSpot's wording); zod's built-in ones get the field name.
  if (issue.message.endsWith(".")) return badRequest(issue.message);
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) {
    return badRequest(`Required field '${field}' is missing.`);
  }
  return badRequest(field ? `Invalid value for field '${field}': ${issue.message}.` : `Invalid request body: ${issue.message}.`);
}

const MAX_DEPTH = 32;

/** Iterative depth check: a deeply nested body must not overflow the stack later (stringify, zod). */
function depthExceeds(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) return true;
    if (typeof v === "object" && v !== null) for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

const tooLarge = (limit: number) => badRequest(`The request body is larger than the ${limit}-byte limit.`);

/**
 * The body as text, at most `limit` bytes. Under node-server it is read straight from the socket
 * stream (building a WHATWG Request per call costs more than the rest of a request).
 */
async function readBody(c: Context<AppEnv>, limit: number): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const incoming = c.env?.incoming;
  if (!incoming) {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > limit) throw tooLarge(limit);
    return text;
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.removeAllListeners("data");
        incoming.resume();
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    });
    incoming.once("end", () => resolve(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    incoming.once("error", reject);
  });
}

async function readJson(c: Context<AppEnv>, limit: number): Promise<unknown> {
  const text = await readBody(c, limit);
  if (text.trim() === "") return {};
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw badRequest(`Content-Type must be application/json (got ${type ? JSON.stringify(type) : "none"}).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8's message quotes part of the body; keep only where it went wrong.
    const at = (err as Error).message.match(/position (\d+)/)?.[1];
    throw badRequest(`Malformed JSON in request body${at === undefined ? "" : ` at position ${at}`}.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("The request body must be a JSON object.");
  }
  if (depthExceeds(value, MAX_DEPTH)) throw badRequest(`The request body is nested more than ${MAX_DEPTH} levels deep.`);
  return value;
}

function credentialOf(c: Context<AppEnv>): string | undefined {
  const auth = c.req.header("authorization");
  const bearer = auth?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  return bearer || getCookie(c, "JSESSIONID");
}

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
    const principal = e.access === "public" ? undefined : authenticate(base, credentialOf(c), e.phrase);
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
      const status = fault.error.status;
      const text =
        fault.error.message ??
        (status === 401 ? `Authentication required to ${e.phrase}.` : status === 403 ? `Insufficient privileges to ${e.phrase}.` : status === 400 ? `Invalid request to ${e.phrase}.` : serverError(e.phrase).debug);
      throw new ApiError(status, text);
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
