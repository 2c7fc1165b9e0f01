import { z } from "zod";
import { StorageDestination, StorageDestinationInput } from "../storage/destinations.js";
import { EventType, IdName, KeyValue, WebhookStatus } from "./common.js";

/** Webhook configurations: request bodies of create/update/search/delete and the stored record. */

export const WebhookAuthentication = z
  .object({
    API_KEY: z.object({ key: z.string().min(1), value: z.string() }).optional(),
    BASIC_AUTH: z.object({ username: z.string(), password: z.string() }).optional(),
    BEARER_TOKEN: z.string().optional(),
    OAUTH2: z.object({ authorization_url: z.string().url(), client_id: z.string(), client_secret: z.string() }).optional(),
  })
  .refine((a) => Object.values(a).filter((v) => v !== undefined).length === 1, {
    message: "authentication must contain exactly one of API_KEY, BASIC_AUTH, BEARER_TOKEN or OAUTH2.",
  });
export type WebhookAuthentication = z.infer<typeof WebhookAuthentication>;

export const SignatureVerification = z.object({
  type: z.literal("HMAC_SHA256"),
  header: z.string().min(1),
  algorithm: z.literal("SHA256"),
  secret: z.string().min(1),
});
export type SignatureVerification = z.infer<typeof SignatureVerification>;

// Appended to the URL as a query string, so only scalar values make sense.
const UrlParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const Fields = {
  description: z.string().optional(),
  url_params: UrlParams.optional(),
  authentication: WebhookAuthentication.optional(),
  signature_verification: SignatureVerification.optional(),
  storage_destination: StorageDestinationInput.optional(),
  additional_headers: z.array(KeyValue).optional(),
  status: WebhookStatus.optional(),
};

export const CreateWebhookRequest = z.object({ name: z.string().min(1), url: z.string().min(1), events: z.array(EventType), ...Fields });
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;

export const ResetOption = z.enum(["AUTHENTICATION", "SIGNATURE_VERIFICATION", "STORAGE_DESTINATION"]);
export const UpdateWebhookRequest = z.object({
  name: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  events: z.array(EventType).optional(),
  ...Fields,
  reset_options: z.array(ResetOption).optional(),
});
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequest>;

export const WebhookSortField = z.enum(["CREATED", "MODIFIED", "NAME"]);
export const SearchWebhooksRequest = z.object({
  org_identifier: z.string().optional(),
  webhook_identifier: z.string().optional(),
  event_type: EventType.optional(),
  status: WebhookStatus.optional(),
  record_offset: z.number().int().optional(),
  record_size: z.number().int().optional(),
  sort_options: z.object({ field_name: WebhookSortField.nullish(), order: z.enum(["ASC", "DESC"]).nullish() }).optional(),
});
export type SearchWebhooksRequest = z.infer<typeof SearchWebhooksRequest>;

export const DeleteWebhooksRequest = z.object({ webhook_identifiers: z.array(z.string()) });

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
