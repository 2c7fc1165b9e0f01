/** One error type, one catalog of ThoughtSpot codes, one renderer for the envelope (docs/decisions.md, "Errors"). */

export type ErrorShape = "live" | "spec";

/** A zod issue path as "events[0].type" (request fields, scenario-file JSON paths). */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

/** "rules[0].outcome.http_status: expected number" — a zod failure's JSON path and what was expected. */
export function describeZodError(err: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = err.issues[0];
  return `${(issue && fieldPath(issue.path)) || "(root)"}: ${issue?.message ?? "invalid"}`;
}

/** HTTP status → ThoughtSpot error code. */
export const ERROR_CODES: Record<number, number> = {
  400: 10002,
  401: 10097,
  403: 10023,
  500: 10038,
};

export class ApiError extends Error {
  constructor(
    /** 415 only outside /api/rest/2.0 (the admin routes' JSON-only rule). */
    readonly status: 400 | 401 | 403 | 415 | 500 | 503,
    readonly debug: string,
    readonly code: number = ERROR_CODES[status] ?? 10038,
  ) {
    super(debug);
    this.name = "ApiError";
  }
}

/** 400 with code 10002: bad input, unknown identifiers and conflicts alike (never 404/409/422). */
export const badRequest = (debug: string) => new ApiError(400, debug);
export const unauthorized = (phrase: string) => new ApiError(401, `Authentication required to ${phrase}.`);
export const forbidden = (phrase: string) => new ApiError(403, `Insufficient privileges to ${phrase}.`);
export const serverError = (phrase: string) => new ApiError(500, `Unexpected server error while ${gerund(phrase)}.`);

/** "validate the channel" → "validating the channel", for the 500 text pattern. */
export function gerund(phrase: string): string {
  return phrase.replace(/^(\w+)/, (verb) => {
    if (/[^aeiou][aeiou][gtp]$/.test(verb) && verb.length <= 4) return `${verb + verb.at(-1)}ing`;
    return `${verb.endsWith("e") ? verb.slice(0, -1) : verb}ing`;
  });
}

/**
 * The ThoughtSpot error envelope. `live` is what real clusters print (the inner `debug` is a
 * JSON-encoded array of strings, nested one level deeper); `spec` is the flatter shape of the
 * OpenAPI examples.
 */
export function renderError(err: ApiError, shape: ErrorShape, ids: { incident: string; trace: string }): unknown {
  if (shape === "spec") {
    return {
      error: {
        message: {
          code: err.code,
          incident_id_guid: ids.incident,
          trace_id_guid: ids.trace,
          debug: err.debug,
        },
      },
    };
  }
  return {
    error: {
      message: {
        debug: {
          code: err.code,
          incident_id_guid: ids.incident,
          trace_id_guid: ids.trace,
          debug: JSON.stringify([err.debug]),
        },
      },
    },
  };
}
