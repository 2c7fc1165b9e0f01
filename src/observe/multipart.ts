/** A multipart/form-data body split into its parts (the inbox's receiver), in time linear in its size. */

export interface Part {
  name: string;
  filename: string | null;
  contentType: string | null;
  body: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | null {
  const m = /boundary=("?)([^";]{1,200})\1/i.exec(contentType ?? "");
  return m ? m[2]! : null;
}

/** The parts of a multipart body; null when it is not one (no boundary, no closing delimiter). */
export function parseMultipart(body: Buffer, boundary: string): Part[] | null {
  const delim = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delim);
  if (at === -1) return null;
  for (;;) {
    const start = at + delim.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) return parts; // "--": the closing delimiter
    const next = body.indexOf(delim, start);
    if (next === -1) return null;
    const chunk = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter, before the next
    const sep = chunk.indexOf("\r\n\r\n");
    if (sep !== -1) {
      const head = chunk.subarray(0, sep).toString("latin1");
      const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? "";
      parts.push({
        name: /\bname="([^"]*)"/.exec(disposition)?.[1] ?? "",
        filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1] ?? null,
        contentType: /content-type:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim() ?? null,
        body: Buffer.from(chunk.subarray(sep + 4)),
      });
    }
    at = next;
  }
}
