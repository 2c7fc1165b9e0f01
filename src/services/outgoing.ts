import type { Deps, RequestContext } from "../context.js";
import { type Message, postMessage, SIMULATED_OK, scriptedResult } from "../delivery/post.js";
import type { SendResult } from "../delivery/send.js";
import { parseTarget, type Route, routeTo } from "../delivery/targets.js";
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

/** Whether the emulator really calls this URL, simulates it or refuses it (docs/decisions.md, "Outgoing calls"). */
export function route(deps: Deps, url: string): Promise<Route> {
  const { config } = deps;
  return routeTo(url, {
    liveWebhooks: config.liveWebhooks,
    allowPrivateTargets: config.allowPrivateTargets,
    optedIn: new Set(config.webhookTargets.map((t) => parseTarget(t) ?? t)),
    own: deps.origin.listening,
    lookup: deps.lookup,
  });
}

/**
 * One POST to a webhook. What the receiver does comes, in this order, from a scenario outcome at
 * `hook`, from the real receiver (a host the emulator calls), or is a simulated 200 (offline); a
 * receiver the emulator must not call (its own admin routes, a private address) fails the try.
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
  const target = await route(deps, w.url);
  if (target.kind === "simulated") return SIMULATED_OK;
  if (target.kind === "refused") return { ok: false, http_status: null, error: target.error };
  return postMessage(w, message, {
    fetch: deps.fetch,
    now: () => deps.clock.now(),
    route: (url) => route(deps, url),
    timeoutMs,
    oauth: ns.oauth,
    boundary: `----ThoughtSpotBoundary${ns.ids.hex(16)}`,
    signing: { scheme: deps.config.signatureScheme, part: deps.config.signaturePart },
    pin: target.pin,
  });
}
