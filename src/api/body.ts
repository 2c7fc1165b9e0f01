import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../app-env.js";
import { type ApiError, badRequest, fieldPath } from "../errors.js";

/** Request bodies: size limit, JSON parsing, nesting limit, and zod failures as ThoughtSpot 400s. */

/** A zod failure as a ThoughtSpot 400 whose text names the field. */
export function validationError(err: z.ZodError): ApiError {
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
 * The body's bytes, at most `limit`. Under node-server it is read straight from the socket
 * stream (building a WHATWG Request per call costs more than the rest of a request).
 */
export async function readBytes(c: Context<AppEnv>, limit: number): Promise<Buffer> {
  const declared = Number(c.req.header("content-length") ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const incoming = c.env?.incoming;
  if (!incoming) {
    const bytes = Buffer.from(await c.req.arrayBuffer());
    if (bytes.length > limit) throw tooLarge(limit);
    return bytes;
  }
  return new Promise<Buffer>((resolve, reject) => {
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
    incoming.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    incoming.once("error", reject);
  });
}

/** The body as UTF-8 text, at most `limit` bytes. */
async function readBody(c: Context<AppEnv>, limit: number): Promise<string> {
  return (await readBytes(c, limit)).toString("utf8");
}

/**
 * The body as a JSON object ({} when empty). The admin routes have refused a non-JSON body with a
 * 415 before this (src/guard.ts); under /api/rest/2.0 it is a 400.
 */
export async function readJson(c: Context<AppEnv>, limit: number): Promise<unknown> {
  const text = await readBody(c, limit);
  c.set("rawBody", text);
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
