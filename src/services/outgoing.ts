import type { Deps, RequestContext } from "../context.js";
import { buildRequest, type Message, type OutgoingRequest, SIMULATED_OK, scriptedResult, sendRequest } from "../delivery/post.js";
import type { SendResult } from "../delivery/send.js";
import { parseTarget, type Route, routeTo } from "../delivery/targets.js";
import { redactUserinfo } from "../redact.js";
import type { Facts } from "../scenarios/engine.js";
import type { WebhookRecord } from "../schemas/webhooks.js";
import { type Purpose, recordSimulated } from "./inbox.js";

export type { Purpose } from "./inbox.js";

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

function envOf(ctx: RequestContext) {
  const { deps, ns } = ctx;
  return {
    fetch: deps.fetch,
    now: () => deps.clock.now(),
    route: (url: string) => route(deps, url),
    timeoutMs: deps.config.validationTimeoutMs,
    oauth: ns.oauth,
    boundary: `----ThoughtSpotBoundary${ns.ids.hex(16)}`,
    signing: { scheme: deps.config.signatureScheme, part: deps.config.signaturePart },
  };
}

/**
 * One POST to a webhook. What the receiver does comes, in this order, from a scenario outcome at
 * `hook`, from the real receiver (a host the emulator calls), or is a simulated 200 (offline); a
 * receiver the emulator must not call (its own admin routes, a private address) fails the try.
 * Simulated and scripted POSTs land in the namespace's inbox; every POST is logged and journaled.
 */
export async function postToWebhook(
  ctx: RequestContext,
  w: WebhookRecord,
  message: Message,
  hook: "validation.http" | "delivery.attempt",
  why: Purpose,
): Promise<SendResult> {
  const { deps, ns } = ctx;
  const started = performance.now();
  const url = redactUserinfo(w.url);
  deps.logger.info(
    { ns: ns.name, job_id: why.jobId, try: why.attempt, of: why.of },
    `--> POST ${url} ${why.purpose} ${why.jobId} try ${why.attempt}/${why.of}`,
  );
  const env = envOf(ctx);
  let result: SendResult;
  let request: OutgoingRequest | null = null;
  let simulated = false;
  const forced = deps.scenarios.outcome(ctx, hook, factsOf(w));
  if (forced) {
    result = await scriptedResult(forced, w.url, env.timeoutMs);
    simulated = true;
  } else {
    const target = await route(deps, w.url);
    if (target.kind === "refused") result = { ok: false, http_status: null, error: target.error };
    else if (target.kind === "simulated") {
      result = SIMULATED_OK;
      simulated = true;
    } else {
      try {
        request = await buildRequest(w, message, env);
        // The emulator's own inbox is told which namespace a delivery belongs to.
        if (target.own) request.headers["x-emulator-namespace"] = ns.name;
        result = await sendRequest(request, { ...env, pin: target.pin });
      } catch (err) {
        result = { ok: false, http_status: null, error: redactUserinfo((err as Error).message) };
      }
    }
  }
  if (simulated) request = await recordSimulated(ctx, w, message, why, result, env);
  const ms = performance.now() - started;
  const answer = result.http_status !== null ? String(result.http_status) : (result.error ?? "no answer");
  deps.logger.info({ ns: ns.name, job_id: why.jobId, ms: Math.round(ms), simulated }, `<-- ${answer} in ${Math.round(ms)} ms`);
  ns.journal.add({
    seq: 0,
    bytes: 0,
    kind: "outgoing",
    time: deps.clock.now(),
    wall: Date.now(),
    method: "POST",
    path: url,
    query: "",
    operation: null,
    principal: null,
    headers: request?.headers ?? {},
    secretHeaders: [
      ...(w.additional_headers ?? []).map((h) => h.key),
      ...(w.authentication?.API_KEY ? [w.authentication.API_KEY.key] : []),
    ],
    body: null,
    status: result.http_status ?? 0,
    response: null,
    duration_ms: ms,
    trace_id: null,
    fired: [],
    outgoing: { purpose: why.purpose, url, job_id: why.jobId, try: why.attempt, of: why.of, error: result.error },
  });
  return result;
}
