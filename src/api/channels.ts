import { z } from "zod";
import { searchHistory } from "../services/history.js";
import { configurePreferences, searchPreferences } from "../services/preferences.js";
import { validateChannel } from "../services/validation.js";
import { endpoint } from "./endpoint.js";

const EventType = z.literal("LIVEBOARD_SCHEDULE");
const Pref = z.object({ event_type: EventType, channels: z.array(z.enum(["EMAIL", "WEBHOOK"])) });
const PREF_PRIVILEGES = ["ADMINISTRATION", "DEVELOPER", "APPLICATION_ADMINISTRATION"] as const;
const CHANNEL_PRIVILEGES = ["ADMINISTRATION", "DEVELOPER", "CAN_MANAGE_WEBHOOKS"] as const;

const Configure = z.object({
  cluster_preferences: z.array(Pref).optional(),
  org_preferences: z
    .array(
      z.object({
        org_identifier: z.string(),
        operation: z.enum(["REPLACE", "RESET"]).nullish(),
        preferences: z.array(Pref).nullish(),
        reset_events: z.array(EventType).nullish(),
      }),
    )
    .optional(),
});

const Search = z.object({
  cluster_preferences: z.array(EventType).optional(),
  org_preferences: z.array(z.object({ org_identifier: z.string(), event_types: z.array(EventType).nullish() })).optional(),
});

const Validate = z.object({
  channel_type: z.literal("WEBHOOK"),
  channel_identifier: z.string().min(1),
  event_type: EventType,
});

const ONLY_WEBHOOK = "channel_type must be specified. Currently only WEBHOOK is supported.";
const History = z.object({
  channel_type: z.literal("WEBHOOK", { error: ONLY_WEBHOOK }),
  job_ids: z.array(z.string()).optional(),
  channel_identifiers: z.array(z.string()).optional(),
  channel_status: z.enum(["PENDING", "RETRY", "SUCCESS", "FAILED"]).optional(),
  events: z.array(z.object({ type: EventType, identifier: z.string().nullish() })).optional(),
  start_epoch_time_in_millis: z.number().optional(),
  end_epoch_time_in_millis: z.number().optional(),
});

export const channelEndpoints = [
  endpoint({
    method: "POST", path: "/system/preferences/communication-channels/configure",
    operationId: "configureCommunicationChannelPreferences", phrase: "configure communication channel preferences",
    access: [...PREF_PRIVILEGES], body: Configure,
    handler: async (ctx, body, c) => {
      await configurePreferences(ctx, body);
      return c.body(null, 204);
    },
  }),
  endpoint({
    method: "POST", path: "/system/preferences/communication-channels/search",
    operationId: "searchCommunicationChannelPreferences", phrase: "search communication channel preferences",
    access: [...PREF_PRIVILEGES], body: Search,
    handler: (ctx, body, c) => c.json(searchPreferences(ctx, body)),
  }),
  endpoint({
    method: "POST", path: "/system/communication-channels/validate",
    operationId: "validateCommunicationChannel", phrase: "validate the communication channel",
    access: [...CHANNEL_PRIVILEGES], body: Validate,
    handler: async (ctx, body, c) => c.json(await validateChannel(ctx, body)),
  }),
  endpoint({
    method: "POST", path: "/jobs/history/communication-channels/search",
    operationId: "searchChannelHistory", phrase: "search communication channel job history",
    access: [...CHANNEL_PRIVILEGES], body: History,
    handler: (ctx, body, c) => c.body(searchHistory(ctx, body), 200, { "content-type": "application/json" }),
  }),
];
