import type { OperationId } from "./operations.js";

/**
 * The error texts each endpoint answers with for 401, 403 and 500: the example texts of
 * ThoughtSpot's OpenAPI spec (26.8.0.cl), one set per operation. Where the spec gives no example
 * (orgs/search and the schedules endpoints have none; a few 403s), the text is the emulator's own,
 * in the spec's pattern, and listed in `own` (docs/decisions.md, "Error texts").
 *
 * Every 401, 403 and 500 an endpoint answers — failed authentication, a missing privilege, a
 * scenario's transport fault, an unexpected error — takes its text from here.
 */
export interface Messages {
  401: string;
  403: string;
  500: string;
  /** Statuses whose text is not a spec example (the spec has none for this operation). */
  own?: readonly (401 | 403 | 500)[];
}

export const MESSAGES: Record<OperationId, Messages> = {
  configureCommunicationChannelPreferences: {
    401: "Authentication required to configure communication channel preferences.",
    403: "ADMINISTRATION privilege required to configure cluster-level communication channel preferences.",
    500: "Unexpected server error while configuring communication channel preferences.",
  },
  searchCommunicationChannelPreferences: {
    401: "Authentication required to search communication channel preferences.",
    403: "ADMINISTRATION privilege required to retrieve cluster-level communication channel preferences.",
    500: "Unexpected server error while searching communication channel preferences.",
  },
  validateCommunicationChannel: {
    401: "Authentication required to validate a communication channel.",
    403: "Insufficient privileges to validate communication channels.",
    500: "Unexpected server error while validating the communication channel.",
  },
  searchChannelHistory: {
    401: "Authentication required to retrieve channel delivery history.",
    403: "Insufficient privileges to retrieve channel delivery history.",
    500: "Unexpected server error while retrieving channel delivery history.",
  },
  createWebhookConfiguration: {
    401: "Authentication required to create a webhook configuration.",
    403: "Insufficient privileges to create webhook configurations.",
    500: "Unexpected server error while creating the webhook configuration.",
  },
  searchWebhookConfigurations: {
    401: "Authentication required to search webhook configurations.",
    403: "Insufficient privileges to search webhook configurations.",
    500: "Unexpected server error while searching webhook configurations.",
  },
  updateWebhookConfiguration: {
    401: "Authentication required to update a webhook configuration.",
    403: "Insufficient privileges to update webhook configurations.",
    500: "Unexpected server error while updating the webhook configuration.",
  },
  deleteWebhookConfigurations: {
    401: "Authentication required to delete webhook configurations.",
    403: "Insufficient privileges to delete webhook configurations.",
    500: "Unexpected server error while deleting webhook configurations.",
  },
  getWebhookStorageConfig: {
    401: "Authentication required to retrieve webhook storage configuration.",
    403: "Insufficient privileges to retrieve webhook storage configuration.",
    500: "Unexpected server error while retrieving webhook storage configuration.",
  },
  getFullAccessToken: {
    401: "Invalid credentials. The provided secret key or password is incorrect.",
    403: "Trusted authentication is not enabled for this cluster or org.",
    500: "Unexpected server error while generating the full-access token.",
  },
  validateToken: {
    401: "Authentication required to validate a token.",
    403: "Insufficient privileges to validate a token.",
    500: "Unexpected server error while validating the token.",
    own: [403],
  },
  revokeToken: {
    401: "Authentication required to revoke a token.",
    403: "Insufficient privileges to revoke tokens for another user.",
    500: "Unexpected server error while revoking the token.",
  },
  login: {
    401: "Authentication failed. Verify that the username and password are correct.",
    403: "User account is inactive or locked.",
    500: "Unexpected server error during login.",
  },
  logout: {
    401: "No active session found. User is not logged in.",
    403: "Insufficient privileges to log out.",
    500: "Unexpected server error during logout.",
    own: [403],
  },
  getCurrentUserInfo: {
    401: "Authentication required to retrieve the current user information.",
    403: "Insufficient privileges to retrieve the current user information.",
    500: "Unexpected server error while retrieving current user information.",
    own: [403],
  },
  getCurrentUserToken: {
    401: "Authentication required to retrieve the current session token.",
    403: "Insufficient privileges to retrieve the current session token.",
    500: "Unexpected server error while retrieving the current user session token.",
    own: [403],
  },
  searchOrgs: {
    401: "Authentication required to search orgs.",
    403: "Insufficient privileges to search orgs.",
    500: "Unexpected server error while searching orgs.",
    own: [401, 403, 500],
  },
  createSchedule: {
    401: "Authentication required to create a schedule.",
    403: "Insufficient privileges to create the schedule: edit access to the Liveboard is required, and ADMINISTRATION or JOBSCHEDULING to schedule for other users.",
    500: "Unexpected server error while creating the schedule.",
    own: [401, 403, 500],
  },
  searchSchedules: {
    401: "Authentication required to search schedules.",
    403: "Insufficient privileges to search schedules: view access to the Liveboard is required.",
    500: "Unexpected server error while searching schedules.",
    own: [401, 403, 500],
  },
  updateSchedule: {
    401: "Authentication required to update a schedule.",
    403: "Insufficient privileges to update the schedule: edit access to the Liveboard is required, and ADMINISTRATION or JOBSCHEDULING to schedule for other users.",
    500: "Unexpected server error while updating the schedule.",
    own: [401, 403, 500],
  },
  deleteSchedule: {
    401: "Authentication required to delete a schedule.",
    403: "Insufficient privileges to delete the schedule: edit access to the Liveboard, ADMINISTRATION or JOBSCHEDULING is required.",
    500: "Unexpected server error while deleting the schedule.",
    own: [401, 403, 500],
  },
  getSystemInformation: {
    401: "Authentication required to retrieve system information.",
    403: "ADMINISTRATION privilege required to retrieve system information.",
    500: "Unexpected server error while retrieving system information.",
  },
};

/** The text for a status an operation answers with (a scenario's error without a message of its own). */
export function textFor(messages: Messages, status: number): string {
  if (status === 401 || status === 403) return messages[status];
  // 400 has no per-endpoint text in the spec; its response description is "Invalid request.".
  return status === 400 ? "Invalid request." : messages[500];
}

/** Other fixed texts the spec gives (400s of the auth endpoints). */
export const SPEC_TEXTS = {
  noSecretOrPassword: "Either secret_key or password must be provided.",
  loginOrg: "The specified org_identifier does not refer to a valid or accessible org.",
  jitNeedsSecret: "For JIT provisioning of a user, the secret_key is required.",
} as const;

/** The text of a 500 outside any endpoint (no operation was routed). */
export const UNROUTED_500 = "Unexpected server error while processing the request.";
