import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../app-env.js";
import { type ApiError, badRequest, issueField, problemOf } from "../errors.js";
import { requestHeader } from "../request-header.js";

/** Request bodies: size limit, nesting and value-count limits, JSON parsing, and zod failures as ThoughtSpot 400s. */

/** A zod failure as a ThoughtSpot 400 whose text names the field. */
export function validationError(err: z.ZodError): ApiError {
  const issue = err.issues[0]!;
  const field = issueField(issue);
  // Our own texts are sentences (ThoughtSpot's wording); zod's built-in ones get the field name.
  if (issue.message.endsWith(".")) return badRequest(issue.message);
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) {
    return badRequest(`Required field '${field}' is missing.`);
  }
  // A limit names the field and the number: "Field 'name' can be at most 255 characters long."
  const problem = problemOf(issue);
  if (problem !== issue.message) return badRequest(`Field '${field || "(body)"}' ${problem}.`);
  return badRequest(field ? `Invalid value for field '${field}': ${issue.message}.` : `Invalid request body: ${issue.message}.`);
}

const MAX_DEPTH = 32;
const MAX_VALUES = 50_000;

/**
 * One pass over the raw bytes, before JSON.parse: a body nested deeper than MAX_DEPTH or holding
 * more than MAX_VALUES values is refused without being parsed (parsing a 1 MB body of a million
 * tiny values, and walking the result, holds the event loop for a few hundred ms). Quotes and
 * backslashes never occur inside a multi-byte UTF-8 sequence, so bytes suffice.
 */
function checkShape(buf: Uint8Array): void {
  let depth = 0;
  let values = 1;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    // Inside MAX_DEPTH containers only closing them is allowed: any key or value would be one level too deep.
    if (depth >= MAX_DEPTH && b !== 0x5d && b !== 0x7d && b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) {
      throw badRequest(`The request body is nested more than ${MAX_DEPTH} levels deep.`);
    }
    if (b === 0x22) {
      // Skip the string: up to the next quote not escaped by a backslash.
      for (i++; i < buf.length && buf[i] !== 0x22; i++) if (buf[i] === 0x5c) i++;
    } else if (b === 0x5b || b === 0x7b) {
      depth++;
      values++;
    } else if (b === 0x5d || b === 0x7d) depth--;
    else if (b === 0x2c) values++;
    if (values > MAX_VALUES) throw badRequest(`The request body holds more than ${MAX_VALUES} JSON values.`);
  }
}

const tooLarge = (limit: number) => badRequest(`The request body is larger than the ${limit}-byte limit.`);

/**
 * The body's bytes, at most `limit`. Under node-server it is read straight from the socket
 * stream (building a WHATWG Request per call costs more than the rest of a request).
 */
export async function readBytes(c: Context<AppEnv>, limit: number): Promise<Buffer> {
  const declared = Number(requestHeader(c, "content-length") ?? 0);
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

/**
 * The body as a JSON object ({} when empty). The admin routes have refused a non-JSON body with a
 * 415 before this (src/guard.ts); under /api/rest/2.0 it is a 400.
 */
export async function readJson(c: Context<AppEnv>, limit: number): Promise<unknown> {
  const bytes = await readBytes(c, limit);
  const text = bytes.toString("utf8");
  c.set("rawBody", text);
  if (text.trim() === "") return {};
  const type = requestHeader(c, "content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw badRequest(`Content-Type must be application/json (got ${type ? JSON.stringify(type) : "none"}).`);
  }
  checkShape(bytes);
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
  return value;
}
