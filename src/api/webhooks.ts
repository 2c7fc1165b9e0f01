import { CHANNEL_PRIVILEGES } from "../schemas/common.js";
import { CreateWebhookRequest, DeleteWebhooksRequest, SearchWebhooksRequest, UpdateWebhookRequest } from "../schemas/webhooks.js";
import { getStorageConfig } from "../services/storage-config.js";
import { createWebhook, deleteWebhooks, searchWebhooks, updateWebhook } from "../services/webhooks.js";
import { endpoint } from "./endpoint.js";

/** Webhook configurations (the WEBHOOK communication channel). */
export const webhookEndpoints = [
  endpoint({
    method: "POST",
    path: "/webhooks/create",
    operationId: "createWebhookConfiguration",
    access: CHANNEL_PRIVILEGES,
    body: CreateWebhookRequest,
    status: 200,
    handler: (ctx, body) => createWebhook(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/webhooks/search",
    operationId: "searchWebhookConfigurations",
    access: CHANNEL_PRIVILEGES,
    body: SearchWebhooksRequest,
    status: 200,
    handler: (ctx, body) => searchWebhooks(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/webhooks/delete",
    operationId: "deleteWebhookConfigurations",
    access: CHANNEL_PRIVILEGES,
    body: DeleteWebhooksRequest,
    status: 200,
    handler: (ctx, body) => deleteWebhooks(ctx, body.webhook_identifiers),
  }),
  endpoint({
    method: "GET",
    path: "/webhooks/storage-config",
    operationId: "getWebhookStorageConfig",
    access: CHANNEL_PRIVILEGES,
    status: 200,
    handler: (ctx) => getStorageConfig(ctx),
  }),
  endpoint({
    method: "POST",
    path: "/webhooks/:webhook_identifier/update",
    operationId: "updateWebhookConfiguration",
    access: CHANNEL_PRIVILEGES,
    body: UpdateWebhookRequest,
    status: 204,
    handler: (ctx, body, c) => updateWebhook(ctx, c.req.param("webhook_identifier")!, body),
  }),
];
