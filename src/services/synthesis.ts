import { badRequest } from "../errors.js";
import type { RequestContext } from "./context.js";
import { recordJobs } from "./history.js";
import { findOrg } from "./orgs.js";

export interface SynthesizeInput {
  channel_identifier?: string;
  org_identifier?: string;
  days: number;
  runs_per_day: number;
  failure_rate: number;
  retry_rate: number;
}

/**
 * POST /_emulator/jobs/synthesize (and --history at start): past delivery jobs for one webhook, or
 * every webhook of an org / the namespace. They are ordinary history records, stored like real ones.
 */
export async function synthesize(ctx: RequestContext, input: SynthesizeInput) {
  const { ns, deps } = ctx;
  const org = input.org_identifier === undefined ? undefined : findOrg(ns, input.org_identifier);
  if (input.org_identifier !== undefined && !org) throw badRequest("org_identifier does not match a known org.");
  let webhooks = ns.state.webhooks.filter((w) => !org || w.org.id === org.id);
  if (input.channel_identifier !== undefined) {
    webhooks = webhooks.filter((w) => w.id === input.channel_identifier || w.name === input.channel_identifier);
    if (webhooks.length === 0) throw badRequest("Webhook with the specified channel_identifier was not found.");
  }
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
      retentionMs: deps.config.retentionDays * 86_400_000,
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
