import type { AuthedContext, Namespace } from "../context.js";
import { badRequest, forbidden } from "../errors.js";
import { type Channel, CLUSTER_ADMIN, type EventChannelConfig, type EventType } from "../schemas/common.js";
import { MESSAGES } from "../schemas/messages.js";
import type { Org } from "../schemas/orgs.js";
import type { ConfigurePreferencesRequest, SearchPreferencesRequest } from "../schemas/preferences.js";
import { mayUseOrg, orgFor } from "./orgs.js";

const UNKNOWN_ORG = "org_identifier in org_preferences does not match a known org.";

/** Replaces the entries of `current` for the events in `updates`; other events are kept. */
function merge(current: EventChannelConfig[], updates: EventChannelConfig[]): EventChannelConfig[] {
  const next = current.filter((p) => !updates.some((u) => u.event_type === p.event_type));
  for (const u of updates) next.push({ event_type: u.event_type, channels: [...new Set(u.channels)] });
  return next;
}

/**
 * POST /system/preferences/communication-channels/configure. The whole request is checked first
 * and applied atomically: one bad entry and nothing changes.
 */
export async function configurePreferences(ctx: AuthedContext, input: ConfigurePreferencesRequest): Promise<void> {
  const { ns, principal } = ctx;
  if (input.cluster_preferences !== undefined && !principal.user.privileges.includes(CLUSTER_ADMIN)) {
    throw forbidden(MESSAGES.configureCommunicationChannelPreferences[403]);
  }
  const plan: { org: Org; apply: (cur: EventChannelConfig[]) => EventChannelConfig[] }[] = [];
  for (const entry of input.org_preferences ?? []) {
    const org = orgFor(ns, principal.user, entry.org_identifier, UNKNOWN_ORG);
    if ((entry.operation ?? "REPLACE") === "RESET") {
      const events = entry.reset_events;
      if (!events || events.length === 0) throw badRequest("RESET operation requires reset_events to be specified.");
      plan.push({ org, apply: (cur) => cur.filter((p) => !events.includes(p.event_type)) });
    } else {
      const prefs = entry.preferences;
      if (!prefs) throw badRequest("REPLACE operation requires preferences to be specified.");
      plan.push({ org, apply: (cur) => merge(cur, prefs) });
    }
  }
  await ctx.deps.store.mutate(ns, (tx) => {
    const current = tx.state.preferences;
    const next = { cluster: current.cluster, orgs: { ...current.orgs } };
    if (input.cluster_preferences) next.cluster = merge(current.cluster, input.cluster_preferences);
    for (const step of plan) {
      const prefs = step.apply(next.orgs[step.org.id] ?? []);
      if (prefs.length) next.orgs[step.org.id] = prefs;
      else delete next.orgs[step.org.id];
    }
    tx.setPreferences(next);
  });
}

const pick = (prefs: EventChannelConfig[], events?: EventType[] | null) =>
  (events?.length ? prefs.filter((p) => events.includes(p.event_type)) : prefs).map((p) => ({
    event_type: p.event_type,
    channels: [...p.channels],
  }));

/**
 * POST /system/preferences/communication-channels/search. Org entries show stored overrides only
 * (not merged with the cluster value); without org_preferences every org the caller may use is
 * listed. The cluster level is ADMINISTRATION's: asking for it without that privilege is the
 * spec's 403, and the other callers' answers leave it out (docs/decisions.md, "Privileges").
 */
export function searchPreferences(ctx: AuthedContext, input: SearchPreferencesRequest) {
  const { ns, principal } = ctx;
  const clusterLevel = principal.user.privileges.includes(CLUSTER_ADMIN);
  if (input.cluster_preferences !== undefined && !clusterLevel) throw forbidden(MESSAGES.searchCommunicationChannelPreferences[403]);
  const prefs = ns.state.preferences;
  let orgs: { org: Org; events?: EventType[] | null }[];
  if (input.org_preferences !== undefined) {
    orgs = input.org_preferences.map((q) => ({ org: orgFor(ns, principal.user, q.org_identifier, UNKNOWN_ORG), events: q.event_types }));
  } else {
    orgs = ns.state.orgs.filter((org) => mayUseOrg(principal.user, org)).map((org) => ({ org }));
  }
  return {
    ...(clusterLevel && { cluster_preferences: pick(prefs.cluster, input.cluster_preferences) }),
    org_preferences: orgs.map(({ org, events }) => ({
      org: { id: org.id, name: org.name },
      preferences: pick(prefs.orgs[org.id] ?? [], events),
    })),
  };
}

/** Channels in force for an org: its override when present, else the cluster value, else none. */
export function effectiveChannels(ns: Namespace, orgId: string, event: EventType): { channels: Channel[]; source: "org" | "cluster" } {
  const prefs = ns.state.preferences;
  const own = prefs.orgs[orgId]?.find((p) => p.event_type === event);
  if (own) return { channels: own.channels, source: "org" };
  return { channels: prefs.cluster.find((p) => p.event_type === event)?.channels ?? [], source: "cluster" };
}

/**
 * Channels a schedule's runs go to: the org's override, else the cluster value, else EMAIL, which
 * is where Liveboard schedules go on a cluster until preferences route them elsewhere
 * (docs/decisions.md, "Schedules"). `[]` configured means nothing is sent.
 */
export function scheduleChannels(ns: Namespace, orgId: string): { channels: Channel[]; source: "org" | "cluster" | "default" } {
  const prefs = ns.state.preferences;
  const own = prefs.orgs[orgId]?.find((p) => p.event_type === "LIVEBOARD_SCHEDULE");
  if (own) return { channels: own.channels, source: "org" };
  const cluster = prefs.cluster.find((p) => p.event_type === "LIVEBOARD_SCHEDULE");
  if (cluster) return { channels: cluster.channels, source: "cluster" };
  return { channels: ["EMAIL"], source: "default" };
}
