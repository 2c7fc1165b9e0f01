import type { RequestContext } from "../context.js";
import { type Message, postMessage, SIMULATED_OK, scriptedResult } from "../delivery/post.js";
import type { SendResult } from "../delivery/send.js";
import { isLoopback } from "../delivery/send.js";
import type { Facts } from "../scenarios/engine.js";
import type { WebhookRecord } from "../schemas/webhooks.js";

export function factsOf(w: WebhookRecord): Facts {
  return {
    webhook_id: w.id,
    webhook_name: w.name,
    org: w.org.id,
    org_name: w.org.name,
    url: w.url,
    ...(w.storage_destination && { storage_type: w.storage_destination.storage_type }),
    event_type: "LIVEBOARD_SCHEDULE",
  };
}

/** Whether the emulator really calls this URL (loopback, or any host with --live-webhooks). */
export const reachable = (ctx: RequestContext, url: string): boolean => ctx.deps.config.liveWebhooks || isLoopback(url);

/**
 * One POST to a webhook. What the receiver does comes, in this order, from a scenario outcome at
 * `hook`, from the real receiver (a host the emulator calls), or is a simulated 200 (offline).
 */
export async function postToWebhook(
  ctx: RequestContext,
  w: WebhookRecord,
  message: Message,
  hook: "validation.http" | "delivery.attempt",
): Promise<SendResult> {
  const { deps, ns } = ctx;
  const timeoutMs = deps.config.validationTimeoutMs;
  const forced = deps.scenarios.outcome(ctx, hook, factsOf(w));
  if (forced) return scriptedResult(forced, w.url, timeoutMs);
  if (!reachable(ctx, w.url)) return SIMULATED_OK;
  return postMessage(w, message, {
    fetch: deps.fetch,
    now: () => deps.clock.now(),
    reachable: (url) => reachable(ctx, url),
    timeoutMs,
    oauth: ns.oauth,
    boundary: `----ThoughtSpotBoundary${ns.ids.hex(16)}`,
    signing: { scheme: deps.config.signatureScheme, part: deps.config.signaturePart },
  });
}
