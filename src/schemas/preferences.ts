import { z } from "zod";
import { EventChannelConfig, EventType } from "./common.js";

/** Communication-channel preferences: configure and search request bodies, and what is stored. */

export const ConfigurePreferencesRequest = z.object({
  cluster_preferences: z.array(EventChannelConfig).optional(),
  org_preferences: z
    .array(
      z.object({
        org_identifier: z.string(),
        operation: z.enum(["REPLACE", "RESET"]).nullish(),
        preferences: z.array(EventChannelConfig).nullish(),
        reset_events: z.array(EventType).nullish(),
      }),
    )
    .optional(),
});
export type ConfigurePreferencesRequest = z.infer<typeof ConfigurePreferencesRequest>;

export const SearchPreferencesRequest = z.object({
  cluster_preferences: z.array(EventType).optional(),
  org_preferences: z.array(z.object({ org_identifier: z.string(), event_types: z.array(EventType).nullish() })).optional(),
});
export type SearchPreferencesRequest = z.infer<typeof SearchPreferencesRequest>;

/** The cluster value and the org overrides (by org id), as stored. */
export const Preferences = z.object({ cluster: z.array(EventChannelConfig), orgs: z.record(z.string(), z.array(EventChannelConfig)) });
export type Preferences = z.infer<typeof Preferences>;
