/**
 * A small client of a running emulator over HTTP: the ThoughtSpot API in one namespace, and the
 * admin routes (reset, scenarios, clock, deliveries, synthesis, journal, inbox). The CLI's
 * subcommands and the vitest kit use it; so can any test in any process.
 */

export interface ClientOptions {
  /** e.g. http://localhost:4010 */
  url: string;
  /** Every call goes to this namespace (X-Emulator-Namespace). */
  namespace?: string;
  /** With --admin-token. */
  adminToken?: string;
}

export interface Answer<T = any> {
  status: number;
  body: T;
  text: string;
}

/** An answer that is not 2xx, with what the emulator said. */
export class EmulatorCallError extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
    what: string,
  ) {
    let reason = text;
    try {
      const b = JSON.parse(text) as { error?: { message?: { debug?: { debug?: string } | string } } };
      const m = b.error?.message?.debug;
      reason = typeof m === "string" ? m : m?.debug ? (JSON.parse(m.debug) as string[])[0]! : text;
    } catch {
      // not JSON: the text as it came
    }
    super(`${what} answered ${status}: ${reason}`);
    this.name = "EmulatorCallError";
  }
}

export type User = "tsadmin" | "developer" | "webhook-manager" | "app-admin" | "analyst";
const PASSWORDS: Record<User, string> = {
  tsadmin: "admin",
  developer: "developer",
  "webhook-manager": "webhook-manager",
  "app-admin": "app-admin",
  analyst: "analyst",
};

export class EmulatorClient {
  readonly url: string;
  readonly namespace: string | undefined;
  private readonly adminToken: string | undefined;

  constructor(o: ClientOptions) {
    this.url = o.url.replace(/\/+$/, "");
    this.namespace = o.namespace;
    this.adminToken = o.adminToken;
  }

  /** The same emulator, another namespace. */
  in(namespace: string): EmulatorClient {
    return new EmulatorClient({ url: this.url, namespace, ...(this.adminToken && { adminToken: this.adminToken }) });
  }

  /** One call; `path` is under /api/rest/2.0 unless it starts with /_emulator. Does not throw on a 4xx/5xx. */
  async call<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    if (this.namespace) headers["x-emulator-namespace"] = this.namespace;
    if (this.adminToken && path.startsWith("/_emulator")) headers["x-emulator-admin-token"] = this.adminToken;
    const full = path.startsWith("/_emulator") ? path : `/api/rest/2.0${path.startsWith("/") ? path : `/${path}`}`;
    const res = await fetch(`${this.url}${full}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed as T, text };
  }

  /** A call that must answer 2xx; its body. */
  async must<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const a = await this.call<T>(method, path, body, token);
    if (a.status < 200 || a.status > 299) throw new EmulatorCallError(a.status, a.text, `${method} ${path}`);
    return a.body;
  }

  /** A bearer token of a fixture user (in an org: its id). */
  async login(user: User = "tsadmin", orgId?: number): Promise<string> {
    const body = { username: user, password: PASSWORDS[user], ...(orgId !== undefined && { org_id: orgId }) };
    return (await this.must<{ token: string }>("POST", "/auth/token/full", body)).token;
  }

  /** Where a webhook should point for the emulator's own inbox to receive its POSTs. */
  inboxUrl(name: string): string {
    return `${this.url}/_emulator/inbox/${encodeURIComponent(name)}`;
  }

  reset(): Promise<unknown> {
    return this.must("POST", "/_emulator/reset", this.namespace ? { namespace: this.namespace } : {});
  }

  readonly scenarios = {
    on: (name: string) => this.must("POST", `/_emulator/scenarios/${encodeURIComponent(name)}/activate`),
    off: (name: string) => this.must("POST", `/_emulator/scenarios/${encodeURIComponent(name)}/deactivate`),
    /** Replaces the active set with inline rules. */
    set: (rules: unknown[], name = "inline") => this.must("PUT", "/_emulator/scenarios/active", { name, rules }),
    list: () => this.must("GET", "/_emulator/scenarios"),
  };

  readonly clock = {
    get: () => this.must<{ now: number; iso: string; frozen: boolean }>("GET", "/_emulator/clock"),
    advance: (ms: number) => this.must("POST", "/_emulator/clock", { advance_ms: ms }),
    set: (now: string | number) => this.must("POST", "/_emulator/clock", { now }),
    freeze: (frozen = true) => this.must("POST", "/_emulator/clock", { freeze: frozen }),
  };

  readonly requests = {
    list: (query: Record<string, string | number> = {}) =>
      this.must("GET", `/_emulator/requests?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`),
    find: (matcher: Record<string, unknown>) =>
      this.must<{ count: number; requests: any[]; near_misses: { request: any; differences: unknown[] }[] }>(
        "POST",
        "/_emulator/requests/find",
        matcher,
      ),
    clear: () => this.must("DELETE", "/_emulator/requests"),
  };

  readonly inbox = {
    list: (name?: string) => this.must<{ messages: any[] }>("GET", `/_emulator/inbox${name ? `/${encodeURIComponent(name)}` : ""}`),
    /** The next message (for an inbox name, webhook id or name) after `after`, waiting up to `timeoutMs`. */
    waitFor: async (o: { webhook?: string; after?: string; timeoutMs?: number } = {}) => {
      const q = new URLSearchParams({ wait_ms: String(Math.min(o.timeoutMs ?? 5000, 30_000)) });
      if (o.after) q.set("after", o.after);
      if (o.webhook) q.set("webhook", o.webhook);
      const { messages } = await this.must<{ messages: any[] }>("GET", `/_emulator/inbox?${q}`);
      const first = messages.at(-1);
      if (!first) throw new Error(`No inbox message${o.webhook ? ` for ${o.webhook}` : ""} within ${o.timeoutMs ?? 5000} ms.`);
      return first;
    },
    clear: () => this.must("DELETE", "/_emulator/inbox"),
  };

  deliver(webhook: string, options: Record<string, unknown> = {}): Promise<any> {
    return this.must("POST", "/_emulator/deliveries", { channel_identifier: webhook, ...options });
  }

  /** One run of a schedule now (id or name; `org` when schedules of several orgs share the name), whatever its status. */
  runSchedule(schedule: string, org?: string): Promise<{ run_id: string; schedule: { id: string; name: string }; [key: string]: unknown }> {
    const q = org === undefined ? "" : `?org=${encodeURIComponent(org)}`;
    return this.must("POST", `/_emulator/schedules/${encodeURIComponent(schedule)}/run${q}`);
  }

  synthesize(options: { days?: number; runs_per_day?: number; channel_identifier?: string; org_identifier?: string } = {}): Promise<any> {
    return this.must("POST", "/_emulator/jobs/synthesize", options);
  }
}
