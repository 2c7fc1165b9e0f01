import { CHANNEL_PRIVILEGES, PREFERENCE_PRIVILEGES } from "../schemas/common.js";
import { SearchHistoryRequest } from "../schemas/history.js";
import { ConfigurePreferencesRequest, SearchPreferencesRequest } from "../schemas/preferences.js";
import { ValidateChannelRequest } from "../schemas/validation.js";
import { searchHistory } from "../services/history.js";
import { configurePreferences, searchPreferences } from "../services/preferences.js";
import { validateChannel } from "../services/validation.js";
import { endpoint } from "./endpoint.js";

/** Communication-channel preferences, validation and delivery history (the seed guide's four endpoints). */
export const channelEndpoints = [
  endpoint({
    method: "POST",
    path: "/system/preferences/communication-channels/configure",
    operationId: "configureCommunicationChannelPreferences",
    access: PREFERENCE_PRIVILEGES,
    body: ConfigurePreferencesRequest,
    status: 204,
    handler: (ctx, body) => configurePreferences(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/system/preferences/communication-channels/search",
    operationId: "searchCommunicationChannelPreferences",
    access: PREFERENCE_PRIVILEGES,
    body: SearchPreferencesRequest,
    status: 200,
    handler: (ctx, body) => searchPreferences(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/system/communication-channels/validate",
    operationId: "validateCommunicationChannel",
    access: CHANNEL_PRIVILEGES,
    body: ValidateChannelRequest,
    status: 200,
    handler: (ctx, body) => validateChannel(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/jobs/history/communication-channels/search",
    operationId: "searchChannelHistory",
    access: CHANNEL_PRIVILEGES,
    body: SearchHistoryRequest,
    status: 200,
    handler: (ctx, body) => searchHistory(ctx, body),
  }),
];
