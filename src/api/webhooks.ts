import { z } from "zod";
import { getStorageConfig } from "../services/storage-config.js";
import { createWebhook, deleteWebhooks, searchWebhooks, updateWebhook } from "../services/webhooks.js";
import { endpoint } from "./endpoint.js";

const PRIVILEGES = ["ADMINISTRATION", "DEVELOPER", "CAN_MANAGE_WEBHOOKS"] as const;
const EventType = z.literal("LIVEBOARD_SCHEDULE");

const Authentication = z
  .object({
    API_KEY: z.object({ key: z.string().min(1), value: z.string() }).optional(),
    BASIC_AUTH: z.object({ username: z.string(), password: z.string() }).optional(),
    BEARER_TOKEN: z.string().optional(),
    OAUTH2: z.object({ authorization_url: z.string().url(), client_id: z.string(), client_secret: z.string() }).optional(),
  })
  .refine((a) => Object.values(a).filter((v) => v !== undefined).length === 1, {
    message: "authentication must contain exactly one of API_KEY, BASIC_AUTH, BEARER_TOKEN or OAUTH2.",
  });

const Signature = z.object({
  type: z.literal("HMAC_SHA256"),
  header: z.string().min(1),
  algorithm: z.literal("SHA256"),
  secret: z.string().min(1),
});

const Storage = z.object({
  storage_type: z.enum(["AWS_S3", "GCP_GCS"]),
  storage_config: z.object({
    aws_s3_config: z
      .object({
        bucket_name: z.string().min(1),
        region: z.string().min(1),
        role_arn: z.string().min(1),
        external_id: z.string().nullish(),
        path_prefix: z.string().nullish(),
      })
      .optional(),
    gcp_gcs_config: z
      .object({ bucket_name: z.string().min(1), service_account_email: z.string().min(1), path_prefix: z.string().nullish() })
      .optional(),
  }),
});

const Fields = {
  description: z.string().optional(),
  // Appended to the URL as a query string, so only scalar values make sense.
  url_params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  authentication: Authentication.optional(),
  signature_verification: Signature.optional(),
  storage_destination: Storage.optional(),
  additional_headers: z.array(z.object({ key: z.string().min(1), value: z.string() })).optional(),
  status: z.enum(["ENABLED", "DISABLED"]).optional(),
};

const Create = z.object({ name: z.string().min(1), url: z.string().min(1), events: z.array(EventType), ...Fields });
const Update = z.object({
  name: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  events: z.array(EventType).optional(),
  ...Fields,
  reset_options: z.array(z.enum(["AUTHENTICATION", "SIGNATURE_VERIFICATION", "STORAGE_DESTINATION"])).optional(),
});
const Search = z.object({
  org_identifier: z.string().optional(),
  webhook_identifier: z.string().optional(),
  event_type: EventType.optional(),
  status: z.enum(["ENABLED", "DISABLED"]).optional(),
  record_offset: z.number().int().optional(),
  record_size: z.number().int().optional(),
  sort_options: z
    .object({ field_name: z.enum(["CREATED", "MODIFIED", "NAME"]).nullish(), order: z.enum(["ASC", "DESC"]).nullish() })
    .optional(),
});

export const webhookEndpoints = [
  endpoint({
    method: "POST", path: "/webhooks/create", operationId: "createWebhookConfiguration", phrase: "create a webhook",
    access: [...PRIVILEGES], body: Create,
    handler: async (ctx, body, c) => c.json(await createWebhook(ctx, body)),
  }),
  endpoint({
    method: "POST", path: "/webhooks/search", operationId: "searchWebhookConfigurations", phrase: "search webhooks",
    access: [...PRIVILEGES], body: Search,
    handler: (ctx, body, c) => c.json(searchWebhooks(ctx, body)),
  }),
  endpoint({
    method: "POST", path: "/webhooks/delete", operationId: "deleteWebhookConfigurations", phrase: "delete webhooks",
    access: [...PRIVILEGES], body: z.object({ webhook_identifiers: z.array(z.string()) }),
    handler: async (ctx, body, c) => c.json(await deleteWebhooks(ctx, body.webhook_identifiers)),
  }),
  endpoint({
    method: "GET", path: "/webhooks/storage-config", operationId: "getWebhookStorageConfig",
    phrase: "get the webhook storage configuration", access: [...PRIVILEGES],
    handler: async (ctx, _body, c) => c.json(await getStorageConfig(ctx)),
  }),
  endpoint({
    method: "POST", path: "/webhooks/:webhook_identifier/update", operationId: "updateWebhookConfiguration",
    phrase: "update the webhook", access: [...PRIVILEGES], body: Update,
    handler: async (ctx, body, c) => {
      await updateWebhook(ctx, c.req.param("webhook_identifier")!, body);
      return c.body(null, 204);
    },
  }),
];
