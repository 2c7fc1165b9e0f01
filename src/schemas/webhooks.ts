import { z } from "zod";
import { boundedRecord, Identifier, LIMITS, Name, Text, Url } from "../limits.js";
import { StorageDestination, StorageDestinationInput } from "../storage/destinations.js";
import { EventType, IdName, KeyValue, WebhookStatus } from "./common.js";

/**
 * Webhook configurations: request bodies of create/update/search/delete (every string and list
 * within LIMITS) and the stored record (as loaded from fixtures or the data dir: no limits).
 */

const ONE_AUTH = "authentication must contain exactly one of API_KEY, BASIC_AUTH, BEARER_TOKEN or OAUTH2.";
const exactlyOne = (a: object) => Object.values(a).filter((v) => v !== undefined).length === 1;

export const WebhookAuthentication = z
  .object({
    API_KEY: z.object({ key: z.string().min(1), value: z.string() }).optional(),
    BASIC_AUTH: z.object({ username: z.string(), password: z.string() }).optional(),
    BEARER_TOKEN: z.string().optional(),
    OAUTH2: z.object({ authorization_url: z.string().url(), client_id: z.string(), client_secret: z.string() }).optional(),
  })
  .refine(exactlyOne, { message: ONE_AUTH });
export type WebhookAuthentication = z.infer<typeof WebhookAuthentication>;

const AuthenticationInput = z
  .object({
    API_KEY: z.object({ key: Identifier.min(1), value: Text }).optional(),
    BASIC_AUTH: z.object({ username: Identifier, password: Text }).optional(),
    BEARER_TOKEN: Text.optional(),
    OAUTH2: z.object({ authorization_url: Url.url(), client_id: Identifier, client_secret: Text }).optional(),
  })
  .refine(exactlyOne, { message: ONE_AUTH });

export const SignatureVerification = z.object({
  type: z.literal("HMAC_SHA256"),
  header: z.string().min(1),
  algorithm: z.literal("SHA256"),
  secret: z.string().min(1),
});
export type SignatureVerification = z.infer<typeof SignatureVerification>;

const SignatureVerificationInput = SignatureVerification.extend({ header: Identifier.min(1), secret: Text.min(1) });

// Appended to the URL as a query string, so only scalar values make sense.
const UrlParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const Fields = {
  description: z.string().max(LIMITS.text).optional(),
  url_params: boundedRecord(z.union([Text, z.number(), z.boolean()])).optional(),
  authentication: AuthenticationInput.optional(),
  signature_verification: SignatureVerificationInput.optional(),
  storage_destination: StorageDestinationInput.optional(),
  additional_headers: z
    .array(z.object({ key: Identifier.min(1), value: Text }))
    .max(LIMITS.entries)
    .optional(),
  status: WebhookStatus.optional(),
};
const Events = z.array(EventType).max(LIMITS.enums);

export const CreateWebhookRequest = z.object({ name: Name, url: Url, events: Events, ...Fields });
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;

export const ResetOption = z.enum(["AUTHENTICATION", "SIGNATURE_VERIFICATION", "STORAGE_DESTINATION"]);
export const UpdateWebhookRequest = z.object({
  name: Name.optional(),
  url: Url.optional(),
  events: Events.optional(),
  ...Fields,
  reset_options: z.array(ResetOption).max(LIMITS.enums).optional(),
});
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequest>;

export const WebhookSortField = z.enum(["CREATED", "MODIFIED", "NAME"]);
export const SearchWebhooksRequest = z.object({
  org_identifier: Identifier.optional(),
  webhook_identifier: Identifier.optional(),
  event_type: EventType.optional(),
  status: WebhookStatus.optional(),
  record_offset: z.number().int().optional(),
  record_size: z.number().int().optional(),
  sort_options: z.object({ field_name: WebhookSortField.nullish(), order: z.enum(["ASC", "DESC"]).nullish() }).optional(),
});
export type SearchWebhooksRequest = z.infer<typeof SearchWebhooksRequest>;

export const DeleteWebhooksRequest = z.object({ webhook_identifiers: z.array(Identifier).max(LIMITS.entries) });

/** A webhook as stored: the wire shape (key order as real clusters) with secrets in clear. */
export const WebhookRecord = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().nullable(),
  org: IdName,
  url: z.string().url(),
  url_params: UrlParams.nullable(),
  events: z.array(EventType),
  authentication: WebhookAuthentication.nullable(),
  signature_verification: SignatureVerification.nullable(),
  additional_headers: z.array(KeyValue).nullable(),
  creation_time_in_millis: z.number(),
  modification_time_in_millis: z.number(),
  created_by: IdName,
  last_modified_by: IdName,
  storage_destination: StorageDestination.nullable(),
  status: WebhookStatus,
});
export type WebhookRecord = z.infer<typeof WebhookRecord>;
