import { retentionMs } from "../config.js";
import type { AuthedContext, RequestContext } from "../context.js";
import { badRequest } from "../errors.js";
import { JsonStream, JsonText } from "../json-text.js";
import type { JobRecord, SearchHistoryRequest } from "../schemas/history.js";
import { findWebhook } from "./webhooks.js";

/** Room promised to syntheses and validations in progress, per namespace history (a reset starts a new one at 0). */
const reserved = new WeakMap<object, number>();

/** Room for new jobs that a synthesis or a validation made sure of before making them (see reserveJobs). */
export interface Reservation {
  readonly left: number;
  /** `n` of the reserved jobs are now stored. */
  take(n: number): void;
  /** The synthesis is over: what it did not use is room again. */
  release(): void;
}

const room = (ctx: RequestContext) => ctx.deps.config.maxJobs - ctx.ns.history.size - (reserved.get(ctx.ns.history) ?? 0);

function full(ctx: RequestContext, adding: number) {
  const { maxJobs } = ctx.deps.config;
  const busy = reserved.get(ctx.ns.history) ?? 0;
  return badRequest(
    `Namespace '${ctx.ns.name}' may hold at most ${maxJobs} history jobs (--max-jobs): it holds ${ctx.ns.history.size}` +
      `${busy ? ` and ${busy} more are being synthesized` : ""}, and this would add ${adding}. ` +
      "Synthesize fewer days or runs_per_day, reset the namespace (POST /_emulator/reset) or start with a higher --max-jobs.",
  );
}

/** Makes sure `n` new jobs fit under --max-jobs (400 otherwise) and keeps the room for the caller. */
export function reserveJobs(ctx: RequestContext, n: number): Reservation {
  if (n > room(ctx)) throw full(ctx, n);
  const key = ctx.ns.history;
  reserved.set(key, (reserved.get(key) ?? 0) + n);
  let left = n;
  const take = (k: number) => {
    const t = Math.min(k, left);
    left -= t;
    reserved.set(key, (reserved.get(key) ?? 0) - t);
  };
  return {
    get left() {
      return left;
    },
    take,
    release: () => take(left),
  };
}

/**
 * Stores jobs (new or updated) in the namespace's history; resolves when they are on disk. New
 * jobs past --max-jobs are a 400 (updates of stored jobs never are), unless `reservation` has room for them.
 */
export async function recordJobs(ctx: RequestContext, records: JobRecord[], reservation?: Reservation): Promise<void> {
  let fresh = 0;
  for (const r of records) if (!ctx.ns.history.has(r.job.id)) fresh++;
  const own = Math.min(fresh, reservation?.left ?? 0);
  if (fresh - own > room(ctx)) throw full(ctx, fresh);
  await ctx.deps.store.putJobs(ctx.ns, records);
  const events = ctx.ns.events;
  if (events.active && records.length <= 100)
    for (const r of records) events.emit("job", { channel_id: r.ch, org_id: r.org, job: structuredClone(r.job) });
  reservation?.take(own);
}

/** A search answers at most this many jobs, the newest (docs/decisions.md, "History"). */
export const SEARCH_LIMIT = 1000;
/** Jobs per piece of a streamed search response. */
const PIECE = 100;

/**
 * POST /jobs/history/communication-channels/search. For WEBHOOK: job_ids, channel_identifiers and
 * events take at most one element; job_ids alone decides when given; otherwise channel_identifiers
 * and events are both required. Newest first, at most SEARCH_LIMIT; nothing older than the
 * retention period.
 */
export function searchHistory(ctx: AuthedContext, input: SearchHistoryRequest): JsonText | JsonStream {
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
  const query = {
    channel: channelId,
    event: event.identifier ?? undefined,
    org: principal.org.id,
    from: Math.max(cutoff, input.start_epoch_time_in_millis ?? -Infinity),
    to: input.end_epoch_time_in_millis ?? Infinity,
    status: input.channel_status,
  };
  // Which jobs is decided now; their JSON is read from the log piece by piece as the body is sent.
  const hits = ns.history.find(query, SEARCH_LIMIT);
  if (hits.length <= PIECE) return body(hits.map((i) => ns.history.jsonOf(i)));
  const history = ns.history;
  return new JsonStream(function* () {
    yield '{"jobs":[';
    for (let k = 0; k < hits.length; k += PIECE) {
      yield (k ? "," : "") +
        hits
          .slice(k, k + PIECE)
          .map((i) => history.jsonOf(i))
          .join(",");
    }
    yield "]}";
  });
}

// Jobs are kept as their wire JSON: the body is joined from it, never parsed and serialized again.
const body = (jobs: string[]) => new JsonText(`{"jobs":[${jobs.join(",")}]}`);
