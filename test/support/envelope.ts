/** Reading ThoughtSpot's error envelope. */

/** The debug text of a ThoughtSpot error envelope (live shape). */
export function debugText(body: any): string {
  const inner = body?.error?.message?.debug;
  if (typeof inner === "string") return inner;
  return JSON.parse(inner.debug)[0];
}

/** The error code of a ThoughtSpot error envelope (either shape). */
export function errorCode(body: any): number {
  const m = body?.error?.message;
  return typeof m?.debug === "object" ? m.debug.code : m?.code;
}
