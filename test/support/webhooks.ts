/** Webhook creation, channel validation and preference bodies, in-process and over HTTP. */
import { expect } from "vitest";
import type { Emulator } from "../../src/index.js";
import { type CallOptions, type CallResult, call } from "./emulator.js";
import { API, WEBHOOK } from "./fixtures.js";
import { httpRequest } from "./http.js";

const VALIDATE = "/system/communication-channels/validate";
const HISTORY = "/jobs/history/communication-channels/search";

/** A configure-preferences body that REPLACEs testOrg1's LIVEBOARD_SCHEDULE channels. */
export const configureBody = (channels: string[]) => ({
  org_preferences: [{ org_identifier: "testOrg1", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels }] }],
});

/** The body of a validation of a webhook for LIVEBOARD_SCHEDULE. */
export const validateBody = (channel_identifier: string) => ({
  channel_type: "WEBHOOK",
  channel_identifier,
  event_type: "LIVEBOARD_SCHEDULE",
});

/** Creates a webhook (WEBHOOK with `body` over it) in-process; fails the test unless 200; returns the created webhook. */
export async function createWebhook(
  emu: Emulator,
  token: string,
  body: Record<string, unknown> = {},
  opts: CallOptions = {},
): Promise<any> {
  const res = await call(emu, "POST", "/webhooks/create", { ...WEBHOOK, ...body }, { ...opts, token });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The same over HTTP, against a running emulator at `base`. */
export async function createWebhookHttp(
  base: string,
  token: string,
  body: Record<string, unknown> = {},
  opts: CallOptions = {},
): Promise<any> {
  const res = await httpRequest(base, "POST", `${API}/webhooks/create`, { ...WEBHOOK, ...body }, { ...opts, token });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** POST /system/communication-channels/validate for a webhook (id or name), whatever it answers. */
export function validate(emu: Emulator, token: string, channel_identifier: string, opts: CallOptions = {}): Promise<CallResult> {
  return call(emu, "POST", VALIDATE, validateBody(channel_identifier), { ...opts, token });
}

/** Validates a webhook; fails the test unless 200; returns the validation response. */
export async function validateOk(emu: Emulator, token: string, channel_identifier: string, opts: CallOptions = {}): Promise<any> {
  const res = await validate(emu, token, channel_identifier, opts);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The one delivery-history job with this id; fails the test unless found. */
export async function jobById(emu: Emulator, token: string, jobId: string, opts: CallOptions = {}): Promise<any> {
  const res = await call(emu, "POST", HISTORY, { channel_type: "WEBHOOK", job_ids: [jobId] }, { ...opts, token });
  expect(res.status, res.text).toBe(200);
  expect(res.body.jobs).toHaveLength(1);
  return res.body.jobs[0];
}
