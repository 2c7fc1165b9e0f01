import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { parse as parseCookies } from "hono/utils/cookie";
import { adminRoutes } from "./admin/index.js";
import { inRelease, mount } from "./api/endpoint.js";
import { API_BASE, ENDPOINTS } from "./api/index.js";
import type { AppEnv } from "./app-env.js";
import type { Deps, RequestContext } from "./context.js";
import { cors } from "./cors.js";
import { ApiError, badRequest, renderError, serverError } from "./errors.js";
import { ADMIN_BASE, adminCheck, hostCheck } from "./guard.js";
import { createIds, cryptoRandom } from "./random.js";
import { redactUserinfo } from "./redact.js";
import { requestHeader } from "./request-header.js";
import { UNROUTED_500 } from "./schemas/messages.js";
import { observeRequest } from "./services/journal.js";
import { UI_BASE } from "./ui/index.js";

const NAMESPACE_RE = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,64}$/;
const fallbackIds = createIds(cryptoRandom());

/** Reads the namespace: X-Emulator-Namespace, else the one the caller's token or session belongs to, else "default". */
function namespaceOf(c: Context<AppEnv>, deps: Deps, credential: string | undefined): string {
  const header = requestHeader(c, "x-emulator-namespace");
  if (header !== undefined) {
    if (!NAMESPACE_RE.test(header))
      throw badRequest("X-Emulator-Namespace must be 1-64 letters, digits, '.', '_' or '-' (not '.' or '..').");
    return header;
  }
  return (credential && deps.store.tokens.namespaceOf(credential)) || "default";
}

const sessionCookie = (cookies: string | undefined) => (cookies ? parseCookies(cookies, "JSESSIONID").JSESSIONID : undefined);

/** The bearer token, else the JSESSIONID session cookie. */
function credentialOf(c: Context<AppEnv>): string | undefined {
  return (
    requestHeader(c, "authorization")
      ?.match(/^Bearer\s+(.+)$/i)?.[1]
      ?.trim() || sessionCookie(requestHeader(c, "cookie"))
  );
}

/** Builds the Hono app over injected deps; used by tests and the CLI alike. Never listens. */
export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const applyCors = cors(deps.config.corsOrigins, (origin, preflight) =>
    deps.logger.warn(
      { origin, preflight },
      `Refused the browser origin ${origin}${preflight ? " (CORS preflight)" : ""}: start the emulator with --cors-origin ${origin} to allow it.`,
    ),
  );
  const checkHost = hostCheck(deps.config);
  const checkAdmin = adminCheck(deps.config);
  // The journal and the request log see every answer, errors included (an error thrown below is
  // rendered by onError before this middleware's next() returns).
  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    await observeRequest(c, deps, started);
  });
  // One middleware for everything every request needs (each Hono layer costs on every call).
  app.use("*", async (c, next) => {
    checkHost(requestHeader(c, "host"));
    // c.req.path is the path the router matches (percent-decoded), so /%5Femulator/… is caught too.
    const path = c.req.path;
    if (path.startsWith(ADMIN_BASE) && (path.length === ADMIN_BASE.length || path[ADMIN_BASE.length] === "/")) checkAdmin(c);
    const preflight = applyCors(c);
    if (preflight) {
      if (deps.config.logRequests)
        deps.logger.info({ method: "OPTIONS", path, origin: requestHeader(c, "origin") ?? null }, `OPTIONS ${path} (CORS preflight)`);
      return preflight;
    }
    const credential = credentialOf(c);
    c.set("credential", credential);
    const ns = deps.namespaces.get(namespaceOf(c, deps, credential));
    const names = (requestHeader(c, "x-emulator-scenario") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const rc: RequestContext = { deps, ns, requestScenarios: names, fired: [] };
    c.set("rc", rc);
    deps.scenarios.checkNames(names);
    await next();
  });

  const api = new Hono<AppEnv>();
  // An endpoint of a later release is not mounted: it answers like any unknown path (below).
  for (const e of ENDPOINTS) if (inRelease(e, deps.config.release)) mount(api, e, deps.config.release);
  app.route(API_BASE, api);
  app.route("/_emulator", adminRoutes(deps));
  // A browser opening the emulator's address gets the dashboard.
  app.get("/", (c) => c.redirect(`${UI_BASE}/`, 302));

  app.notFound((c) => {
    if (c.req.path.startsWith(API_BASE)) {
      // The official client cannot read a 404: unknown API paths answer 400 in the envelope.
      // So does an endpoint the emulated release does not have yet (docs/decisions.md, "Releases").
      throw badRequest(
        `No endpoint ${c.req.method} ${c.req.path} in this emulator (release ${deps.config.release}). It implements the communication-channel, webhook, auth, org and system endpoints listed in its README.`,
      );
    }
    return c.json({ error: `No route ${c.req.method} ${c.req.path}. Emulator admin routes live under /_emulator.` }, 404);
  });

  app.onError((err, c) => {
    let apiError: ApiError;
    if (err instanceof ApiError) apiError = err;
    else if (err instanceof HTTPException && err.status < 500) apiError = badRequest(err.message || "Invalid request.");
    else {
      deps.logger.error(
        { method: c.req.method, path: c.req.path },
        redactUserinfo(`Unexpected error on ${c.req.method} ${c.req.path}: ${(err as Error)?.stack ?? err}`),
      );
      apiError = serverError(c.get("operation")?.messages[500] ?? UNROUTED_500);
    }
    const ids = c.get("rc")?.ns.ids ?? fallbackIds;
    // No error text echoes the user:password@ of a URL (a webhook's, or one in a request body).
    const safe = apiError.debug.includes("@") ? new ApiError(apiError.status, redactUserinfo(apiError.debug), apiError.code) : apiError;
    const incident = ids.uuid();
    const trace = ids.uuid();
    const body = renderError(safe, deps.config.errorShape, { incident, trace });
    c.set("traceId", trace);
    c.set("result", body);
    return c.json(body, apiError.status);
  });
  return app;
}
