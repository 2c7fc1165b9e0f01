import { createHash } from "node:crypto";
import type { WebhookAuthentication } from "../schemas/webhooks.js";

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

/** How outgoing calls are made: injected fetch and clock, which hosts are really called, the timeout. */
export interface OutgoingEnv {
  fetch: typeof fetch;
  now: () => number;
  /** Whether a URL may really be called (loopback, or --live-webhooks); others are simulated. */
  reachable: (url: string) => boolean;
  timeoutMs: number;
  oauth: OAuthTokens;
}

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
  if (!env.reachable(o.authorization_url)) {
    // Offline: a non-loopback token endpoint is simulated, like the receiver itself.
    const token = `emulated-oauth2-${Buffer.from(o.client_id).toString("base64url")}`;
    env.oauth.set(key, token, env.now() + 3600_000);
    return token;
  }
  const res = await env.fetch(o.authorization_url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: o.client_id, client_secret: o.client_secret }),
    signal: AbortSignal.timeout(env.timeoutMs),
    redirect: "manual",
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`OAuth2 token request to ${o.authorization_url} failed with HTTP ${res.status}`);
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`OAuth2 token response from ${o.authorization_url} is not JSON`);
  }
  if (typeof body.access_token !== "string") throw new Error(`OAuth2 token response from ${o.authorization_url} has no access_token`);
  const ttl = typeof body.expires_in === "number" ? body.expires_in : 3600;
  env.oauth.set(key, body.access_token, env.now() + ttl * 1000);
  return body.access_token;
}
