import { createHmac } from "node:crypto";

/**
 * Webhook signature. ThoughtSpot does not publish the exact scheme; the emulator's documented
 * assumption: HMAC-SHA256 over the exact request body bytes, lowercase hex, no prefix.
 */
export function signBody(body: Uint8Array, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}
