/** One error type, one catalog of ThoughtSpot codes, one renderer for the envelope (docs/decisions.md, "Errors"). */

export type ErrorShape = "live" | "spec";

const SHOWN_KEY = 64;

/**
 * A zod issue path as "events[0].type" (request fields, scenario-file JSON paths). A key longer
 * than 64 characters (a caller's own key, say) is cut: an error text never echoes a 1 MB key.
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => {
      if (typeof p === "number") return `[${p}]`;
      const key = String(p);
      return `${i ? "." : ""}${key.length > SHOWN_KEY ? `${key.slice(0, SHOWN_KEY)}…` : key}`;
    })
    .join("");
}

/** The parts of a zod issue the error texts use. */
export interface Issue {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  origin?: string;
  maximum?: number | bigint;
  keys?: readonly string[];
  issues?: readonly Omit<Issue, "path">[];
}

/** The field an issue is about ("url_params" for a bad key of url_params, not the key itself). */
export const issueField = (issue: Issue): string => fieldPath(issue.code === "invalid_key" ? issue.path.slice(0, -1) : issue.path);

/**
 * What is wrong with a value, as a phrase after its field name: limits said with their number
 * ("can be at most 255 characters long"), a caller's own keys cut short, else zod's message.
 */
export function problemOf(issue: Omit<Issue, "path">): string {
  if (issue.code === "too_big") {
    const max = Number(issue.maximum);
    if (issue.origin === "string") return `can be at most ${max} characters long`;
    if (issue.origin === "array") return `can contain at most ${max} elements`;
    if (issue.origin === "record") return `can contain at most ${max} entries`;
  }
  if (issue.code === "invalid_key") {
    const inner = issue.issues?.[0];
    if (inner?.code === "too_big" && inner.origin === "string") return `has a key longer than ${Number(inner.maximum)} characters`;
  }
  if (issue.code === "unrecognized_keys" && issue.keys?.length) {
    const [first, ...rest] = issue.keys;
    return `unknown field '${fieldPath([first!])}'${rest.length ? ` (and ${rest.length} more)` : ""}`;
  }
  return issue.message;
}

/** "rules[0].outcome.http_status: expected number" — a zod failure's JSON path and what was expected. */
export function describeZodError(err: { issues: readonly Issue[] }): string {
  const issue = err.issues[0];
  return `${(issue && issueField(issue)) || "(root)"}: ${issue ? problemOf(issue) : "invalid"}`;
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
