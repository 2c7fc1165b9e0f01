/** Secrets a URL can carry, kept out of admin views, error texts and log lines. */

export const REDACTED = "***";

/** scheme://user:password@ → scheme://***@ wherever it appears in a text (also in URLs that do not parse). */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\\\s"']*@/gi;

export function redactUserinfo(text: string): string {
  return text.includes("@") ? text.replace(USERINFO, `$1${REDACTED}@`) : text;
}
