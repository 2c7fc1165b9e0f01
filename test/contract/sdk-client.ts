/**
 * The official client `@thoughtspot/rest-api-sdk` wired to a running emulator, with every raw
 * response body kept (the SDK's deserializer drops unknown fields, so the contract checks read
 * the raw JSON instead of the SDK's objects).
 */

import {
  ApiException,
  type Configuration,
  createBasicConfig,
  createBearerAuthenticationConfig,
  createConfiguration,
  type GetFullAccessTokenRequest,
  type Middleware,
  ResponseContext,
  ThoughtSpotRestApi,
} from "@thoughtspot/rest-api-sdk";
import { expect } from "vitest";
import { checkModel } from "./model-check.js";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  json: any;
}

/** A promise middleware that buffers each response body and hands the SDK an identical one. */
export function captureRaw(into: RawResponse[]): Middleware {
  return {
    pre: async (ctx) => ctx,
    post: async (rc) => {
      const text = await rc.body.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      into.push({ status: rc.httpStatusCode, headers: { ...rc.headers }, text, json });
      return new ResponseContext(rc.httpStatusCode, rc.headers, {
        text: async () => text,
        binary: async () => new Blob([text], { type: rc.headers["content-type"] ?? "" }),
      });
    },
  };
}

export interface Client {
  api: ThoughtSpotRestApi;
  /** Raw responses of the API calls (token fetches by the bearer config are not included). */
  raw: RawResponse[];
  /** The raw response of the latest call. */
  last(): RawResponse;
}

export type Credentials = GetFullAccessTokenRequest | (() => Promise<string>);

export interface ClientOptions {
  /** Bearer credentials (a GetFullAccessTokenRequest or a token provider); null = no auth. */
  auth: Credentials | null;
  namespace: string;
  headers?: Record<string, string>;
}

export function sdkClient(baseUrl: string, opts: ClientOptions): Client {
  const additionalHeaders = { "X-Emulator-Namespace": opts.namespace, ...opts.headers };
  const base: Configuration =
    opts.auth === null
      ? createBasicConfig(baseUrl, { additionalHeaders })
      : createBearerAuthenticationConfig(baseUrl, opts.auth, { additionalHeaders });
  const raw: RawResponse[] = [];
  // createConfiguration wraps a promise middleware into the SDK's own Middleware form.
  const capture = createConfiguration({ promiseMiddleware: [captureRaw(raw)] }).middleware;
  const config: Configuration = { ...base, middleware: [...base.middleware, ...capture] };
  return {
    api: new ThoughtSpotRestApi(config),
    raw,
    last: () => {
      const r = raw.at(-1);
      if (!r) throw new Error("no response captured yet");
      return r;
    },
  };
}

/** Awaits a call that must fail and returns the SDK's ApiException. */
export async function apiException(call: Promise<unknown>): Promise<ApiException<any>> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiException) return err;
    throw err;
  }
  throw new Error("expected the call to fail with an ApiException, but it succeeded");
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Asserts the ThoughtSpot error envelope (live shape, docs/decisions.md "Errors") on an ApiException and on the
 * raw body: `{error:{message:{debug:{code, incident_id_guid, trace_id_guid, debug}}}}` with the
 * inner `debug` a JSON-encoded array of strings. Returns the messages.
 */
export function expectEnvelope(err: ApiException<any>, raw: RawResponse, status: number, code: number): string[] {
  expect(err.code, err.message).toBe(status);
  expect(raw.status).toBe(status);
  expect(raw.headers["content-type"]).toMatch(/^application\/json/);
  expect(checkModel(raw.json, "ErrorResponse")).toEqual([]);
  expect(raw.json).toEqual({
    error: {
      message: {
        debug: {
          code,
          incident_id_guid: expect.stringMatching(UUID),
          trace_id_guid: expect.stringMatching(UUID),
          debug: expect.any(String),
        },
      },
    },
  });
  // The SDK keeps the envelope as ErrorResponse.error (type any).
  expect(err.body?.error).toEqual(raw.json.error);
  const messages: unknown = JSON.parse(raw.json.error.message.debug.debug);
  expect(
    Array.isArray(messages) && messages.every((m) => typeof m === "string"),
    `debug is a JSON array of strings: ${raw.json.error.message.debug.debug}`,
  ).toBe(true);
  return messages as string[];
}
