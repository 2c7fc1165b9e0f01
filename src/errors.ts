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
    readonly status: 400 | 401 | 403 | 500 | 503,
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
