import { setImmediate as turn } from "node:timers/promises";
import { retentionMs } from "../config.js";
import type { RequestContext } from "../context.js";
import { badRequest } from "../errors.js";
import type { SynthesizeRequest } from "../schemas/admin.js";
import { recordJobs } from "./history.js";
import { webhooksFor } from "./webhooks.js";

/** Jobs stored per commit while synthesizing. */
const SLICE = 20_000;

/**
 * POST /_emulator/jobs/synthesize (and --history at start): past delivery jobs for one webhook, or
 * every webhook of an org / the namespace. They are ordinary history records, stored like real ones,
 * in slices; the event stream hears `synthesis` progress after each slice and each webhook.
 */
export async function synthesize(ctx: RequestContext, input: SynthesizeRequest) {
  const { ns, deps } = ctx;
  const webhooks = webhooksFor(ns, input.org_identifier, input.channel_identifier);
  if (webhooks.length === 0) throw badRequest("There is no webhook to synthesize history for: create one first.");
  // Loaded on first use: faker costs ~300 ms of start-up otherwise.
  const { synthesizeHistory } = await import("../jobs/synthesize.js");
  const users = ns.state.users.map((u) => ({ id: u.id, name: u.name, email: u.email }));
  const created: { channel_id: string; channel_name: string; jobs: number }[] = [];
  // Progress for the event stream (the dashboard's bar): jobs stored so far of about how many.
  const days = Math.min(input.days, deps.config.retentionDays);
  const expected = Math.round(webhooks.length * days * input.runs_per_day);
  let done = 0;
  const progress = (w: { id: string; name: string }, finished: boolean) =>
    ns.events.emit("synthesis", { done, expected: Math.max(expected, done), finished, channel_id: w.id, channel_name: w.name });
  for (const w of webhooks) {
    const records = synthesizeHistory({
      channelId: w.id,
      orgId: w.org.id,
      now: deps.clock.now(),
      retentionMs: retentionMs(deps.config),
      days: input.days,
      runsPerDay: input.runs_per_day,
      failureRate: input.failure_rate,
      retryRate: input.retry_rate,
      seed: ns.random.seed(),
      users,
    });
    // Stored in slices: each is one group commit, and API requests are answered between them.
    for (let at = 0; at < records.length; at += SLICE) {
      const slice = records.slice(at, at + SLICE);
      await recordJobs(ctx, slice);
      done += slice.length;
      if (at + SLICE < records.length) progress(w, false);
      await turn(); // even in memory, where a commit resolves without a turn of the event loop
    }
    created.push({ channel_id: w.id, channel_name: w.name, jobs: records.length });
    progress(w, w === webhooks.at(-1));
  }
  return { created };
}
