import { createHash } from "node:crypto";
import { redactUserinfo } from "../redact.js";
import type { WebhookAuthentication } from "../schemas/webhooks.js";
import type { Route } from "./targets.js";
import { type OutgoingFetch, readCapped } from "./transport.js";
import { splitUserinfo } from "./userinfo.js";

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** OAuth2 client-credentials tokens of one namespace, keyed by URL, client id and a hash of the secret. */
export class OAuthTokens {
  private readonly cache = new Map<string, CachedToken>();

  static key(o: NonNullable<WebhookAuthentication["OAUTH2"]>): string {
    const secret = createHash("sha256").update(o.client_secret).digest("hex");
    return `${o.authorization_url}\u0000${o.client_id}\u0000${secret}`;
  }

  get(key: string, now: number): string | undefined {
    const hit = this.cache.get(key);
    return hit && hit.expiresAt > now ? hit.token : undefined;
  }

  set(key: string, token: string, expiresAt: number): void {
    if (this.cache.size >= 1000) this.cache.clear();
    this.cache.set(key, { token, expiresAt });
  }
}

/** How outgoing calls are made: injected fetch and clock, where a URL may go, the timeout. */
export interface OutgoingEnv {
  fetch: OutgoingFetch;
  now: () => number;
  /** Whether a URL is really called, simulated or refused (./targets.ts). */
  route: (url: string) => Promise<Route>;
  timeoutMs: number;
  oauth: OAuthTokens;
}

/** The most of a token endpoint's answer that is read: a token response is a few hundred bytes. */
export const TOKEN_RESPONSE_LIMIT = 64 * 1024;

/** Headers for the outgoing request: API key header, Basic, or Bearer (never doubled). */
export async function authHeaders(auth: WebhookAuthentication | null, env: OutgoingEnv): Promise<Record<string, string>> {
  if (!auth) return {};
  if (auth.API_KEY) return { [auth.API_KEY.key]: auth.API_KEY.value };
  if (auth.BASIC_AUTH) {
    const { username, password } = auth.BASIC_AUTH;
    return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` };
  }
  if (auth.BEARER_TOKEN !== undefined) {
    // docs/decisions.md, "Bearer tokens": a value that already starts with "Bearer " is not doubled.
    const token = auth.BEARER_TOKEN.replace(/^Bearer\s+/i, "");
    return { authorization: `Bearer ${token}` };
  }
  if (auth.OAUTH2) return { authorization: `Bearer ${await oauthToken(auth.OAUTH2, env)}` };
  return {};
}

async function oauthToken(o: NonNullable<WebhookAuthentication["OAUTH2"]>, env: OutgoingEnv): Promise<string> {
  const key = OAuthTokens.key(o);
  const hit = env.oauth.get(key, env.now());
  if (hit) return hit;
  const shown = redactUserinfo(o.authorization_url);
  const route = await env.route(o.authorization_url);
  if (route.kind === "refused") throw new Error(`OAuth2 authorization_url refused: ${route.error}`);
  if (route.kind === "simulated") {
    // Offline: a token endpoint the emulator does not call is simulated, like the receiver itself.
    const token = `emulated-oauth2-${Buffer.from(o.client_id).toString("base64url")}`;
    env.oauth.set(key, token, env.now() + 3600_000);
    return token;
  }
  const { url, basic } = splitUserinfo(o.authorization_url);
  const res = await env.fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(basic && { authorization: basic }) },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: o.client_id, client_secret: o.client_secret }),
    signal: AbortSignal.timeout(env.timeoutMs),
    redirect: "manual",
    pin: route.pin,
  });
  if (!res.ok) {
    void res.body?.cancel().catch(() => {});
    throw new Error(`OAuth2 token request to ${shown} failed with HTTP ${res.status}`);
  }
  const text = await readCapped(res, TOKEN_RESPONSE_LIMIT);
  if (text === null) throw new Error(`OAuth2 token response from ${shown} is larger than ${TOKEN_RESPONSE_LIMIT / 1024} KB`);
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`OAuth2 token response from ${shown} is not JSON`);
  }
  if (typeof body?.access_token !== "string") throw new Error(`OAuth2 token response from ${shown} has no access_token`);
  const ttl = typeof body.expires_in === "number" ? body.expires_in : 3600;
  env.oauth.set(key, body.access_token, env.now() + ttl * 1000);
  return body.access_token;
}
