import { authEndpoints } from "./auth.js";
import { channelEndpoints } from "./channels.js";
import type { Endpoint } from "./endpoint.js";
import { orgEndpoints } from "./orgs.js";
import { scheduleEndpoints } from "./schedules.js";
import { webhookEndpoints } from "./webhooks.js";

export const API_BASE = "/api/rest/2.0";

/** Every emulated ThoughtSpot endpoint: the table tests, the fuzzer and the docs are derived from. */
export const ENDPOINTS: readonly Endpoint[] = [
  ...authEndpoints,
  ...channelEndpoints,
  ...webhookEndpoints,
  ...orgEndpoints,
  ...scheduleEndpoints,
];
