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
/** 401, 403 and 500 carry the endpoint's text from the message catalog (schemas/messages.ts). */
export const unauthorized = (text: string) => new ApiError(401, text);
export const forbidden = (text: string) => new ApiError(403, text);
export const serverError = (text: string) => new ApiError(500, text);

/** Code of the 400 a cluster answers when a user names an org they are not a member of. */
export const NO_ORG_ACCESS_CODE = 13090;

/**
 * The user may not work in the org: 400 code 13090 with the text real clusters print (their
 * grammar, no final period; docs/decisions.md, "Org membership").
 */
export const noOrgAccess = (user: string, orgId: string | number) =>
  new ApiError(400, `User ${user} do not have access to org ${orgId}`, NO_ORG_ACCESS_CODE);

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
