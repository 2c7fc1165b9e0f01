import { createHmac } from "node:crypto";
import type { SignaturePart, SignatureScheme } from "../config.js";

/** How deliveries are signed (docs/decisions.md, "Signature"): the encoding and which bytes. */
export interface Signing {
  scheme: SignatureScheme;
  part: SignaturePart;
}

/** HMAC-SHA256 of `bytes` with the webhook's secret: lowercase hex, base64, or `sha256=<hex>`. */
export function sign(bytes: Uint8Array, secret: string, scheme: SignatureScheme): string {
  const mac = createHmac("sha256", secret).update(bytes);
  if (scheme === "base64") return mac.digest("base64");
  const hex = mac.digest("hex");
  return scheme === "sha256=hex" ? `sha256=${hex}` : hex;
}
