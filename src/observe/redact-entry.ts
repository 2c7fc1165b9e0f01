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

const MAX_DEPTH = 32;

/**
 * A JSON value with every secret field replaced, whatever its type (API_KEY.value,
 * BASIC_AUTH.password, additional_headers and url_params values too); nesting past 32 levels is cut.
 */
export function redactValue(v: unknown, key = "", depth = 0): unknown {
  if (SECRET_KEYS.has(key) && v !== null) return R;
  if (typeof v === "string") return redactUrls(v);
  if (v === null || typeof v !== "object") return v;
  if (depth >= MAX_DEPTH) return "…";
  if (Array.isArray(v)) return v.map((x) => redactValue(x, key === "additional_headers" ? "additional_headers[]" : "", depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (key === "API_KEY" && k === "value") out[k] = R;
    else if (key === "additional_headers[]" && k === "value") out[k] = R;
    else if (key === "url_params" && x !== null) out[k] = R;
    else out[k] = redactValue(x, k, depth + 1);
  }
  return out;
}

/**
 * A body that is not valid JSON, shown so its syntax can be debugged and no value leaks: in
 * JSON-like text every string that is not a key becomes "***"; in a form body every value.
 */
export function maskText(text: string): string {
  const t = text.length > 4096 ? `${text.slice(0, 4096)}…` : text;
  if (!/^\s*[[{]/.test(t)) return /^[^\s=&]+=/.test(t) ? t.replace(/=[^&]*/g, `=${R}`) : `(${text.length} bytes, not JSON)`;
  let out = "";
  for (let i = 0; i < t.length; ) {
    if (t[i] !== '"') {
      out += t[i++];
      continue;
    }
    let end = i + 1;
    while (end < t.length && t[end] !== '"') end += t[end] === "\\" ? 2 : 1;
    let next = end + 1;
    while (next < t.length && /\s/.test(t[next]!)) next++;
    out += t[next] === ":" ? t.slice(i, end + 1) : `"${R}"`;
    i = end + 1;
  }
  return out;
}

/** A request or response body as text: parsed and redacted when it is JSON, else masked. */
export function redactBody(text: string | null): unknown {
  if (text === null || text === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return maskText(text);
  }
  try {
    return redactValue(parsed);
  } catch {
    return maskText(text);
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
