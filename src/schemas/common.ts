import { z } from "zod";

/** Enums and small shapes every resource shares, defined once. */

export const EventType = z.literal("LIVEBOARD_SCHEDULE");
export type EventType = z.infer<typeof EventType>;
export const EVENT_TYPES = [EventType.value] as const;

export const Channel = z.enum(["EMAIL", "WEBHOOK"]);
export type Channel = z.infer<typeof Channel>;

export const JobStatus = z.enum(["PENDING", "RETRY", "SUCCESS", "FAILED"]);
export type JobStatus = z.infer<typeof JobStatus>;

export const WebhookStatus = z.enum(["ENABLED", "DISABLED"]);
export type WebhookStatus = z.infer<typeof WebhookStatus>;

export const Privilege = z.enum([
  "ADMINISTRATION",
  "DEVELOPER",
  "CAN_MANAGE_WEBHOOKS",
  "APPLICATION_ADMINISTRATION",
  "ORG_ADMINISTRATION",
  "SYSTEM_INFO_ADMINISTRATION",
  "JOBSCHEDULING",
]);
export type Privilege = z.infer<typeof Privilege>;

/*
 * Who may call what: the spec's privilege sentence of each operation, with the RBAC privilege it
 * names included (docs/decisions.md, "Privileges"; the README's privilege table).
 */

/** Channel preferences: ADMINISTRATION or DEVELOPER; with RBAC, APPLICATION_ADMINISTRATION. Cluster level: ADMINISTRATION. */
export const PREFERENCE_PRIVILEGES: readonly Privilege[] = ["ADMINISTRATION", "DEVELOPER", "APPLICATION_ADMINISTRATION"];
/** Validate, history search, every webhooks endpoint: ADMINISTRATION or DEVELOPER; with RBAC, CAN_MANAGE_WEBHOOKS. */
export const CHANNEL_PRIVILEGES: readonly Privilege[] = ["ADMINISTRATION", "DEVELOPER", "CAN_MANAGE_WEBHOOKS"];
/** orgs/search: cluster administration ("Can administer Org"); with RBAC, ORG_ADMINISTRATION. */
export const ORG_SEARCH_PRIVILEGES: readonly Privilege[] = ["ADMINISTRATION", "ORG_ADMINISTRATION"];
/** GET /system: ADMINISTRATION; with RBAC, SYSTEM_INFO_ADMINISTRATION. */
export const SYSTEM_INFO_PRIVILEGES: readonly Privilege[] = ["ADMINISTRATION", "SYSTEM_INFO_ADMINISTRATION"];
/**
 * Schedules for other users (other recipients than oneself; deleting without edit access):
 * ADMINISTRATION ("Can administer Org") or JOBSCHEDULING ("Can schedule for others").
 */
export const SCHEDULE_FOR_OTHERS: readonly Privilege[] = ["ADMINISTRATION", "JOBSCHEDULING"];
/** Cluster-level preferences (configure and read), another user's tokens, every org: ADMINISTRATION. */
export const CLUSTER_ADMIN: Privilege = "ADMINISTRATION";

export const IdName = z.object({ id: z.string(), name: z.string() });
export type IdName = z.infer<typeof IdName>;

export const KeyValue = z.object({ key: z.string().min(1), value: z.string() });
export type KeyValue = z.infer<typeof KeyValue>;

/** A channel configuration for one event: `channels: []` means every channel off (stored as such). */
export const EventChannelConfig = z.object({ event_type: EventType, channels: z.array(Channel) });
export type EventChannelConfig = z.infer<typeof EventChannelConfig>;
