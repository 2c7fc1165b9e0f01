import type { Context } from "hono";
import type { z } from "zod";
import { readJson } from "../api/body.js";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { badRequest, describeZodError } from "../errors.js";

/** An admin request's JSON body checked against `schema`; a 400 names the JSON path. */
export async function adminBody<S extends z.ZodType>(c: Context<AppEnv>, deps: Deps, schema: S): Promise<z.infer<S>> {
  const raw = await readJson(c, deps.config.bodyLimitBytes);
  const r = schema.safeParse(raw);
  if (!r.success) throw badRequest(`Invalid admin request at ${describeZodError(r.error)}`);
  return r.data;
}

/** The namespace an admin request is about. */
export const nsOf = (c: Context<AppEnv>) => c.get("rc").ns;

/** An admin request's query parameters checked against `schema`; a 400 names the parameter and lists the known ones. */
export function query<S extends z.ZodType>(schema: S, q: Record<string, string>): z.infer<S> {
  const r = schema.safeParse(q);
  if (!r.success) {
    const keys = "shape" in schema ? Object.keys((schema as unknown as z.ZodObject).shape) : [];
    throw badRequest(`Invalid query at ${describeZodError(r.error)}${keys.length ? ` (the parameters are: ${keys.join(", ")})` : ""}`);
  }
  return r.data;
}
