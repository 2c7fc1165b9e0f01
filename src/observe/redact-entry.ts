/**
 * Redaction for what the journal, the inbox and the event stream show: done when an entry is read,
 * never on the request path. Secrets are replaced by "***" wherever they appear.
 */

const SECRET_KEYS = new Set([
  "password",
  "secret_key",
  "token",
  "client_secret",
  "secret",
  "BEARER_TOKEN",
  "access_token",
  "refresh_token",
]);
const SECRET_HEADERS = new Set(["authorization", "cookie", "set-cookie", "x-emulator-admin-token", "proxy-authorization"]);
const R = "***";

/** Userinfo (`user:pass@`) out of URLs in a text. */
export function redactUrls(text: string): string {
  return text.includes("@") ? text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@"']*@/gi, `$1${R}@`) : text;
}

/** A JSON value with every secret field replaced (API_KEY.value, BASIC_AUTH.password, additional_headers values too). */
export function redactValue(v: unknown, key = ""): unknown {
  if (Array.isArray(v)) return v.map((x) => redactValue(x, key === "additional_headers" ? "additional_headers[]" : ""));
  if (typeof v === "string") return SECRET_KEYS.has(key) ? R : redactUrls(v);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (key === "API_KEY" && k === "value") out[k] = R;
    else if (key === "additional_headers[]" && k === "value") out[k] = R;
    else if (key === "url_params" && x !== null && typeof x !== "object") out[k] = R;
    else out[k] = redactValue(x, k);
  }
  return out;
}

/** A request or response body as text: parsed and redacted when it is JSON, else only URLs redacted. */
export function redactBody(text: string | null): unknown {
  if (text === null || text === "") return null;
  try {
    return redactValue(JSON.parse(text));
  } catch {
    return redactUrls(text.length > 4096 ? `${text.slice(0, 4096)}…` : text);
  }
}

/** Headers with credentials hidden (the scheme of an Authorization header is kept: "Bearer ***"). */
export function redactHeaders(
  h: Record<string, string | string[] | undefined>,
  extraSecret: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  const extra = new Set(extraSecret.map((k) => k.toLowerCase()));
  for (const [k, raw] of Object.entries(h)) {
    if (raw === undefined) continue;
    const v = Array.isArray(raw) ? raw.join(", ") : raw;
    const lower = k.toLowerCase();
    if (lower === "authorization" || lower === "proxy-authorization") out[k] = v.replace(/^(\w+)\s+.*$/s, `$1 ${R}`);
    else if (SECRET_HEADERS.has(lower) || extra.has(lower)) out[k] = R;
    else out[k] = redactUrls(v);
  }
  return out;
}
