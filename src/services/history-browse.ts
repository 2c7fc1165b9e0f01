import { retentionMs } from "../config.js";
import type { Namespace, RequestContext } from "../context.js";
import { badRequest } from "../errors.js";
import { JsonText } from "../json-text.js";
import type { HistogramQuery, HistoryQuery } from "../schemas/admin.js";
import { JobStatus } from "../schemas/common.js";
import { findOrg } from "./orgs.js";

const DAY = 86_400_000;
const MINUTE = 60_000;

/** A webhook id or name of any org (or of `orgId`) → its id; an unknown one is taken as a raw channel id (a deleted webhook's). */
function channelId(ns: Namespace, identifier: string | undefined, orgId: string | undefined): string | undefined {
  if (identifier === undefined) return undefined;
  const list = ns.state.webhooks.filter((w) => orgId === undefined || w.org.id === orgId);
  const byId = list.find((w) => w.id === identifier);
  if (byId) return byId.id;
  const named = list.filter((w) => w.name === identifier);
  if (named.length > 1) throw badRequest(`Webhook name '${identifier}' is taken in several orgs: give its id, or the org as well.`);
  return named[0]?.id ?? identifier;
}

function orgId(ns: Namespace, identifier: string | undefined): string | undefined {
  if (identifier === undefined) return undefined;
  const org = findOrg(ns, identifier);
  if (!org) throw badRequest("org does not match a known org.");
  return org.id;
}

function scope(ctx: RequestContext, q: { channel?: string | undefined; org?: string | undefined; event?: string | undefined }) {
  const org = orgId(ctx.ns, q.org);
  const cutoff = ctx.deps.clock.now() - retentionMs(ctx.deps.config);
  return { org, channel: channelId(ctx.ns, q.channel, org), event: q.event, cutoff };
}

/**
 * GET /_emulator/history: one page of the namespace's jobs within the retention period, newest
 * first, over every webhook (or one), with the total matching count; jobs as stored, with the
 * webhook's id, name (null once deleted) and org. Retention applies as in the API's history search.
 */
export function browseHistory(ctx: RequestContext, q: HistoryQuery): JsonText {
  const { ns, deps } = ctx;
  const s = scope(ctx, q);
  const from = Math.max(s.cutoff, q.from ?? -Infinity);
  const to = q.to ?? Infinity;
  const page = ns.history.browse({ channel: s.channel, org: s.org, event: s.event, status: q.status, from, to }, q.offset, q.limit);
  const names = new Map(ns.state.webhooks.map((w) => [w.id, w.name]));
  const jobs = page.jobs.map(
    (j) =>
      `{"channel_id":${JSON.stringify(j.ch)},"channel_name":${JSON.stringify(names.get(j.ch) ?? null)},"org_id":${JSON.stringify(j.org)},"job":${j.json}}`,
  );
  const head = {
    namespace: ns.name,
    retention_days: deps.config.retentionDays,
    from: Number.isFinite(from) ? from : null,
    to: Number.isFinite(to) ? to : null,
    offset: q.offset,
    limit: q.limit,
    total: page.total,
    schedules: ns.history.eventNames(s.channel).sort(),
  };
  // Jobs are kept as their wire JSON: the body is joined from it, never parsed and serialized again.
  return new JsonText(`${JSON.stringify(head).slice(0, -1)},"jobs":[${jobs.join(",")}]}`);
}

/**
 * GET /_emulator/history/histogram: jobs per day and status over the retention period (the first
 * and last days are partial), days starting at midnight of the given UTC offset.
 */
export function historyHistogram(ctx: RequestContext, q: HistogramQuery) {
  const { ns, deps } = ctx;
  const s = scope(ctx, q);
  const offset = q.tz_offset_minutes * MINUTE;
  const dayStart = Math.floor((s.cutoff + offset) / DAY) * DAY - offset;
  const days = Math.floor((deps.clock.now() - dayStart) / DAY) + 1;
  const counts = ns.history.histogram({ channel: s.channel, org: s.org, event: s.event, from: s.cutoff, to: Infinity }, dayStart, days);
  const statuses = JobStatus.options;
  return {
    namespace: ns.name,
    retention_days: deps.config.retentionDays,
    from: s.cutoff,
    tz_offset_minutes: q.tz_offset_minutes,
    statuses,
    days: counts.map((c, d) => {
      const start = dayStart + d * DAY;
      return {
        date: new Date(start + offset).toISOString().slice(0, 10),
        start,
        total: c[0] + c[1] + c[2] + c[3],
        ...Object.fromEntries(statuses.map((st, k) => [st, c[k]])),
      };
    }),
  };
}
