/**
 * The operationIds of ThoughtSpot's spec that the emulator implements, as the official clients
 * name them. Endpoints are typed against this list and scenario rules (`match.operation`) are
 * checked against it at load; a test checks every id here is mounted.
 */
export const OPERATION_IDS = [
  "getFullAccessToken",
  "validateToken",
  "revokeToken",
  "login",
  "logout",
  "getCurrentUserInfo",
  "getCurrentUserToken",
  "searchOrgs",
  "getSystemInformation",
  "configureCommunicationChannelPreferences",
  "searchCommunicationChannelPreferences",
  "validateCommunicationChannel",
  "searchChannelHistory",
  "createWebhookConfiguration",
  "searchWebhookConfigurations",
  "updateWebhookConfiguration",
  "deleteWebhookConfigurations",
  "getWebhookStorageConfig",
  "createSchedule",
  "searchSchedules",
  "updateSchedule",
  "deleteSchedule",
] as const;

export type OperationId = (typeof OPERATION_IDS)[number];
