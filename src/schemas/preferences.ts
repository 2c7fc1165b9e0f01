import { z } from "zod";
import { Identifier, LIMITS } from "../limits.js";
import { EventChannelConfig, EventType } from "./common.js";

/** Communication-channel preferences: configure and search request bodies, and what is stored. */

const Configs = z.array(EventChannelConfig.extend({ channels: EventChannelConfig.shape.channels.max(LIMITS.enums) })).max(LIMITS.enums);
const EventTypes = z.array(EventType).max(LIMITS.enums);

export const ConfigurePreferencesRequest = z.object({
  cluster_preferences: Configs.optional(),
  org_preferences: z
    .array(
      z.object({
        org_identifier: Identifier,
        operation: z.enum(["REPLACE", "RESET"]).nullish(),
        preferences: Configs.nullish(),
        reset_events: EventTypes.nullish(),
      }),
    )
    .max(LIMITS.orgs)
    .optional(),
});
export type ConfigurePreferencesRequest = z.infer<typeof ConfigurePreferencesRequest>;

export const SearchPreferencesRequest = z.object({
  cluster_preferences: EventTypes.optional(),
  org_preferences: z
    .array(z.object({ org_identifier: Identifier, event_types: EventTypes.nullish() }))
    .max(LIMITS.orgs)
    .optional(),
});
export type SearchPreferencesRequest = z.infer<typeof SearchPreferencesRequest>;

/** The cluster value and the org overrides (by org id), as stored. */
export const Preferences = z.object({ cluster: z.array(EventChannelConfig), orgs: z.record(z.string(), z.array(EventChannelConfig)) });
export type Preferences = z.infer<typeof Preferences>;
