import type { WebhookAuthentication } from "../types.js";

interface CachedToken {
  token: string;
  expiresAt: number;
}

export interface OutgoingAuthDeps {
  fetch: typeof fetch;
  now: () => number;
  /** Whether a URL may really be called (loopback, or --live-webhooks). */
  reachable: (url: string) => boolean;
  timeoutMs: number;
}

/** Caches OAuth2 client-credentials tokens per (authorization_url, client_id) until they expire. */
export class OutgoingAuth {
  private readonly cache = new Map<string, CachedToken>();
  constructor(private readonly deps: OutgoingAuthDeps) {}

  /** Headers for the outgoing request: API key header, Basic, or Bearer (never doubled). */
  async headers(auth: WebhookAuthentication | null): Promise<Record<string, string>> {
    if (!auth) return {};
    if (auth.API_KEY) return { [auth.API_KEY.key]: auth.API_KEY.value };
    if (auth.BASIC_AUTH) {
      const { username, password } = auth.BASIC_AUTH;
      return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` };
    }
    if (auth.BEARER_TOKEN !== undefined) {
      const token = auth.BEARER_TOKEN.replace(/^Bearer\s+/i, "");
      return { authorization: `Bearer ${token}` };
    }
    if (auth.OAUTH2) return { authorization: `Bearer ${await this.oauthToken(auth.OAUTH2)}` };
    return {};
  }

  private async oauthToken(o: NonNullable<WebhookAuthentication["OAUTH2"]>): Promise<string> {
    const key = `${o.authorization_url}\u0000${o.client_id}`;
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > this.deps.now()) return hit.token;
    if (!this.deps.reachable(o.authorization_url)) {
      // Offline: a non-loopback token endpoint is simulated, like the receiver itself.
      const token = `emulated-oauth2-${Buffer.from(o.client_id).toString("base64url")}`;
      this.cache.set(key, { token, expiresAt: this.deps.now() + 3600_000 });
      return token;
    }
    const res = await this.deps.fetch(o.authorization_url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: o.client_id, client_secret: o.client_secret }),
      signal: AbortSignal.timeout(this.deps.timeoutMs),
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
    this.cache.set(key, { token: body.access_token, expiresAt: this.deps.now() + ttl * 1000 });
    return body.access_token;
  }
}
