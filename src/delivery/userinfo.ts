/**
 * A URL's user:password@ (docs/decisions.md, "Outgoing calls"): never sent in the URL (fetch
 * refuses such URLs, echoing them in its error), but as `Authorization: Basic`, as curl does.
 */
export function splitUserinfo(raw: string): { url: string; basic: string | null } {
  const u = new URL(raw);
  if (!u.username && !u.password) return { url: raw, basic: null };
  const credentials = `${decode(u.username)}:${decode(u.password)}`;
  u.username = "";
  u.password = "";
  return { url: u.toString(), basic: `Basic ${Buffer.from(credentials).toString("base64")}` };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
