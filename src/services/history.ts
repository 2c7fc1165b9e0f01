import { retentionMs } from "../config.js";
import type { AuthedContext, RequestContext } from "../context.js";
import { badRequest } from "../errors.js";
import { JsonText } from "../json-text.js";
import type { JobRecord, SearchHistoryRequest } from "../schemas/history.js";
import { findWebhook } from "./webhooks.js";

/** Stores jobs (new or updated) in the namespace's history; resolves when they are on disk (and tells the event stream). */
export async function recordJobs(ctx: RequestContext, records: JobRecord[]): Promise<void> {
  await ctx.deps.store.putJobs(ctx.ns, records);
  const events = ctx.ns.events;
  if (events.active && records.length <= 100)
    for (const r of records) events.emit("job", { channel_id: r.ch, org_id: r.org, job: structuredClone(r.job) });
}

/**
 * POST /jobs/history/communication-channels/search. For WEBHOOK: job_ids, channel_identifiers and
 * events take at most one element; job_ids alone decides when given; otherwise channel_identifiers
 * and events are both required. Newest first; nothing older than the retention period.
 */
export function searchHistory(ctx: AuthedContext, input: SearchHistoryRequest): JsonText {
  for (const key of ["job_ids", "channel_identifiers", "events"] as const) {
    if ((input[key]?.length ?? 0) > 1) throw badRequest(`${key} can contain at most one element for channel_type WEBHOOK.`);
  }
  const { ns, principal } = ctx;
  const cutoff = ctx.deps.clock.now() - retentionMs(ctx.deps.config);
  const jobId = input.job_ids?.[0];
  if (jobId !== undefined) {
    const e = ns.history.get(jobId);
    return body(e !== undefined && e.org === principal.org.id && e.t >= cutoff ? [ns.history.jsonFor(e)] : []);
  }
  const channel = input.channel_identifiers?.[0];
  const event = input.events?.[0];
  if (channel === undefined || event === undefined) {
    throw badRequest("channel_identifiers and events must both be specified with exactly one element when job_ids is not given.");
  }
  // A deleted webhook's history stays searchable by its id until retention expires it.
  const channelId = findWebhook(ns, principal.org.id, channel)?.id ?? channel;
  return body(
    ns.history.search({
      channel: channelId,
      event: event.identifier ?? undefined,
      org: principal.org.id,
      from: Math.max(cutoff, input.start_epoch_time_in_millis ?? -Infinity),
      to: input.end_epoch_time_in_millis ?? Infinity,
      status: input.channel_status,
    }),
  );
}

// Jobs are kept as their wire JSON: the body is joined from it, never parsed and serialized again.
const body = (jobs: string[]) => new JsonText(`{"jobs":[${jobs.join(",")}]}`);
