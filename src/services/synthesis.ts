import { retentionMs } from "../config.js";
import type { RequestContext } from "../context.js";
import { badRequest } from "../errors.js";
import type { SynthesizeRequest } from "../schemas/admin.js";
import { recordJobs } from "./history.js";
import { webhooksFor } from "./webhooks.js";

/**
 * POST /_emulator/jobs/synthesize (and --history at start): past delivery jobs for one webhook, or
 * every webhook of an org / the namespace. They are ordinary history records, stored like real ones.
 */
export async function synthesize(ctx: RequestContext, input: SynthesizeRequest) {
  const { ns, deps } = ctx;
  const webhooks = webhooksFor(ns, input.org_identifier, input.channel_identifier);
  if (webhooks.length === 0) throw badRequest("There is no webhook to synthesize history for: create one first.");
  // Loaded on first use: faker costs ~300 ms of start-up otherwise.
  const { synthesizeHistory } = await import("../jobs/synthesize.js");
  const users = ns.state.users.map((u) => ({ id: u.id, name: u.name, email: u.email }));
  const created: { channel_id: string; channel_name: string; jobs: number }[] = [];
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
    await recordJobs(ctx, records);
    created.push({ channel_id: w.id, channel_name: w.name, jobs: records.length });
  }
  return { created };
}
