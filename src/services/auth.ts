import type { AuthedContext, Namespace, Principal, RequestContext } from "../context.js";
import { ApiError, badRequest, forbidden, noOrgAccess, unauthorized } from "../errors.js";
import type { FullTokenRequest, LoginRequest, RevokeTokenRequest, TokenScopeInput } from "../schemas/auth.js";
import { CLUSTER_ADMIN } from "../schemas/common.js";
import { MESSAGES, SPEC_TEXTS, textFor } from "../schemas/messages.js";
import type { Org } from "../schemas/orgs.js";
import type { TokenRecord, UserRecord } from "../schemas/records.js";
import { atLeast, FEATURES } from "../schemas/releases.js";
import { checkOrgAccess, findOrg, orgFor } from "./orgs.js";

/** Session lifetimes (docs/decisions.md, "Auth and sessions"): remember_me ≈ 7 days, else 3 hours idle. */
const SESSION_IDLE_MS = 3 * 60 * 60 * 1000;
const REMEMBERED_SESSION_MS = 7 * 24 * 60 * 60 * 1000;
/** GET /auth/session/token: "The token generated from this API request is valid for 24 hours." */
const SESSION_TOKEN_MS = 24 * 60 * 60 * 1000;
const PRIMARY_ORG = "0";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The token record of a credential issued in this namespace. */
function tokenOf(ctx: RequestContext, credential: string): TokenRecord | undefined {
  const hit = ctx.deps.store.tokens.get(credential);
  return hit && hit.ns === ctx.ns.name ? hit.rec : undefined;
}

/** Stores a new (or changed) token; resolves once it is on disk. */
function saveToken(ctx: RequestContext, rec: TokenRecord): Promise<void> {
  return ctx.deps.store.mutate(ctx.ns, (tx) => tx.putToken(rec));
}

function findUser(ns: Namespace, identifier: string): UserRecord | undefined {
  return ns.state.users.find((u) => u.name === identifier || u.id === identifier);
}

const orgScopedTokens = (ctx: RequestContext) => atLeast(ctx.deps.config.release, FEATURES.orgScopedTokens);

/** What a call presents: its bearer token or session id, and the 26.10 X-Org-Selector header. */
export interface CallCredentials {
  credential?: string | undefined;
  orgSelector?: string | undefined;
  /** A browser call (its Origin and the Host it was sent to): a 401 without any credential says why. */
  browser?: { origin: string; host: string } | undefined;
}

/**
 * Why a browser's call came without the session cookie, when the page and the emulator are
 * different sites (http://localhost:5173 and http://127.0.0.1:4010): Chromium keeps the
 * emulator's cookie to itself then, whatever its SameSite (docs/decisions.md, "Browser sessions").
 */
function cookieHint(b: CallCredentials["browser"]): string {
  if (!b) return "";
  let page: URL;
  try {
    page = new URL(b.origin);
  } catch {
    return "";
  }
  const emulatorHost = b.host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  if (page.hostname.replace(/^\[|\]$/g, "") === emulatorHost) return "";
  const port = /:(\d+)$/.exec(b.host)?.[1];
  const sameHost = `${page.protocol}//${page.hostname}${port ? `:${port}` : ""}`;
  return (
    ` (No JSESSIONID cookie or bearer token came with this call. The page at ${b.origin} and the emulator at ${b.host} are different sites, ` +
    `so the browser does not send the emulator's session cookie: call the emulator as ${sameHost}, the same host as the page, with credentials: "include".)`
  );
}

/**
 * The org an org-scoped token works in for this call: the one X-Org-Selector names (id or name),
 * which must be one of the token's orgs. Legacy single-org tokens ignore the header.
 */
function selectedOrg(ctx: RequestContext, user: UserRecord, rec: TokenRecord, org: Org, selector: string | undefined): Org {
  if (selector === undefined || !rec.org_ids || !orgScopedTokens(ctx)) return org;
  const chosen = findOrg(ctx.ns, selector.trim());
  if (!chosen) throw badRequest("X-Org-Selector does not match a known org.");
  if (!rec.org_ids.includes(chosen.id)) throw noOrgAccess(user.name, chosen.id);
  return chosen;
}

/** Resolves the caller from a bearer token or session id; any failure is a 401 with `text`. */
export function authenticate(ctx: RequestContext, call: CallCredentials, text: string): Principal {
  const { credential } = call;
  if (!credential) throw unauthorized(`${text}${cookieHint(call.browser)}`);
  const rec = tokenOf(ctx, credential);
  if (!rec || rec.revoked || rec.expiration_time_in_millis <= ctx.deps.clock.now()) throw unauthorized(text);
  const user = ctx.ns.state.users.find((u) => u.id === rec.user_id);
  const home = user && findOrg(ctx.ns, rec.org_id);
  if (!user || !home) throw unauthorized(text);
  const org = selectedOrg(ctx, user, rec, home, call.orgSelector);
  const forced = ctx.deps.scenarios.outcome(ctx, "token.check", { org: org.id, org_name: org.name });
  if (forced?.expired) throw unauthorized(text);
  return { user, org, token: rec };
}

/**
 * authenticate, then keep an idle-timed session alive: its end moves to "now + idle time" once
 * less than half of that is left (one write per half idle period at most).
 */
export async function authenticateCall(ctx: RequestContext, call: CallCredentials, text: string): Promise<Principal> {
  const principal = authenticate(ctx, call, text);
  const { token } = principal;
  const now = ctx.deps.clock.now();
  if (token.idle_ms !== undefined && token.expiration_time_in_millis - now < token.idle_ms / 2) {
    const renewed = { ...token, expiration_time_in_millis: now + token.idle_ms };
    await saveToken(ctx, renewed);
    return { ...principal, token: renewed };
  }
  return principal;
}

/** The token response's `scope` (org_scope and org_ids only for an org-scoped token). */
function scopeOf(ctx: RequestContext, rec: TokenRecord) {
  return {
    access_type: "FULL",
    org_id: Number(rec.org_id),
    metadata_id: null,
    ...(rec.org_ids && {
      org_scope: rec.org_scope,
      org_ids: rec.org_ids.map((id) => ({ id: Number(id), name: findOrg(ctx.ns, id)?.name ?? null })),
    }),
  };
}

/** The orgs of a 26.10 `scope` request (only for a Tenant Administrator) and the org the token starts in. */
function scopedOrgs(ctx: RequestContext, user: UserRecord, scope: TokenScopeInput, orgId: number | null | undefined) {
  if (!user.privileges.includes(CLUSTER_ADMIN)) throw badRequest("scope is only applicable to a Tenant Administrator.");
  let orgs: Org[];
  if (scope.org_scope === "SPECIFIC_ORGS") {
    const idents = scope.org_identifiers ?? [];
    if (idents.length === 0) throw badRequest("org_identifiers is required when org_scope is SPECIFIC_ORGS.");
    orgs = idents.map((i) => orgFor(ctx.ns, user, i, `scope.org_identifiers names an unknown org: ${JSON.stringify(i)}.`));
  } else {
    orgs = ctx.ns.state.orgs.filter((o) => user.orgs.includes(o.id));
  }
  const ids = [...new Set(orgs.map((o) => o.id))];
  const start = orgId === undefined || orgId === null ? (ids.includes(user.default_org) ? user.default_org : ids[0]!) : String(orgId);
  if (!ids.includes(start)) throw noOrgAccess(user.name, start);
  return { ids, start };
}

/** Just-in-time provisioning (auto_create): a new user in the org, or an existing one's properties updated. */
async function provision(ctx: RequestContext, existing: UserRecord | undefined, input: FullTokenRequest, org: Org): Promise<UserRecord> {
  const groups = input.group_identifiers ?? undefined;
  const user: UserRecord = existing
    ? {
        ...existing,
        ...(input.display_name != null && { display_name: input.display_name }),
        ...(input.email != null && { email: input.email }),
        ...(groups && { groups }),
      }
    : {
        id: ctx.ns.ids.uuid(),
        name: input.username,
        display_name: input.display_name ?? input.username,
        email: input.email ?? "",
        // A provisioned user signs in with the trusted-auth secret only.
        password: "",
        privileges: [],
        orgs: [org.id],
        default_org: org.id,
        ...(groups && { groups }),
      };
  await ctx.deps.store.mutate(ctx.ns, (tx) => tx.putUser(user));
  return user;
}

/**
 * POST /auth/token/full: a password or the trusted-auth secret_key ("" counts as not given; the
 * secret key wins when both are, as the spec says), optional JIT provisioning, an opaque token.
 */
export async function issueFullToken(ctx: RequestContext, input: FullTokenRequest) {
  const { ns } = ctx;
  const { password, secret_key } = input;
  if (password === undefined && secret_key === undefined) throw badRequest(SPEC_TEXTS.noSecretOrPassword);
  const trusted = secret_key !== undefined;
  const badCredentials = () => new ApiError(401, MESSAGES.getFullAccessToken[401]);
  if (input.auto_create && !trusted) throw badRequest(SPEC_TEXTS.jitNeedsSecret);
  if (trusted && secret_key !== ns.state.secret_key) throw badCredentials();
  let user = findUser(ns, input.username);
  if (!trusted && (!user || user.password === "" || user.password !== password)) throw badCredentials();
  if (!user && !input.auto_create) throw badCredentials();
  const orgId = input.org_id === undefined || input.org_id === null ? (user?.default_org ?? PRIMARY_ORG) : String(input.org_id);
  const org = ns.state.orgs.find((o) => o.id === orgId);
  if (!org) throw badRequest(`User ${input.username} does not belong to the org with id ${orgId}.`);
  if (user) checkOrgAccess(user, org);
  if (input.auto_create) user = await provision(ctx, user, input, org);
  const scoped = input.scope && orgScopedTokens(ctx) ? scopedOrgs(ctx, user!, input.scope, input.org_id) : undefined;
  const tokenOrg = scoped?.start ?? org.id;
  const forced = ctx.deps.scenarios.outcome(ctx, "token.issue", { org: tokenOrg });
  if (forced?.error)
    throw new ApiError(forced.error.status, forced.error.message ?? textFor(MESSAGES.getFullAccessToken, forced.error.status));
  const validity = forced?.validity_time_in_sec ?? input.validity_time_in_sec ?? ctx.deps.config.tokenTtlSec;
  const now = ctx.deps.clock.now();
  const rec: TokenRecord = {
    token: ns.ids.token(),
    user_id: user!.id,
    org_id: tokenOrg,
    creation_time_in_millis: now,
    expiration_time_in_millis: now + validity * 1000,
    revoked: false,
    kind: "token",
    ...(scoped && { org_scope: input.scope!.org_scope, org_ids: scoped.ids }),
  };
  await saveToken(ctx, rec);
  return {
    token: rec.token,
    creation_time_in_millis: rec.creation_time_in_millis,
    expiration_time_in_millis: rec.expiration_time_in_millis,
    scope: scopeOf(ctx, rec),
    valid_for_user_id: user!.id,
    valid_for_username: user!.name,
  };
}

/** POST /auth/token/validate: 400 (not 401) for malformed, unknown, revoked or expired tokens. */
export function validateToken(ctx: AuthedContext, token: string) {
  const rec = tokenOf(ctx, token);
  if (rec?.kind !== "token") throw badRequest("The provided token is malformed and cannot be parsed.");
  if (rec.revoked) throw badRequest("The provided token has been revoked.");
  if (rec.expiration_time_in_millis <= ctx.deps.clock.now()) throw badRequest("The provided token has expired.");
  return {
    creation_time_in_millis: rec.creation_time_in_millis,
    expiration_time_in_millis: rec.expiration_time_in_millis,
    scope: scopeOf(ctx, rec),
    valid_for_user_id: rec.user_id,
    token_type: "BEARER",
  };
}

/** POST /auth/token/revoke: own token by default; another user's tokens need ADMINISTRATION. */
export async function revokeToken(ctx: AuthedContext, input: RevokeTokenRequest) {
  const { principal } = ctx;
  const isAdmin = principal.user.privileges.includes(CLUSTER_ADMIN);
  let targets: TokenRecord[];
  if (input.token !== undefined) {
    const rec = tokenOf(ctx, input.token);
    if (!rec) throw badRequest("The provided token is malformed and cannot be parsed.");
    targets = [rec];
  } else if (input.user_identifier !== undefined) {
    const user = findUser(ctx.ns, input.user_identifier);
    if (!user) throw badRequest(`User with the specified user_identifier was not found.`);
    targets = [...ctx.ns.state.tokens.values()].filter((t) => t.user_id === user.id && t.kind === "token");
  } else {
    targets = [principal.token];
  }
  if (!isAdmin && targets.some((t) => t.user_id !== principal.user.id)) throw forbidden(MESSAGES.revokeToken[403]);
  await ctx.deps.store.mutate(ctx.ns, (tx) => {
    for (const t of targets) tx.putToken({ ...t, revoked: true });
  });
}

/**
 * POST /auth/session/login: a JSESSIONID session, used like a token through the cookie. Signs in
 * with username and password, or — without a username — with the bearer token or session the call
 * already carries (TSRestApiV2's `auth_session_login(bearer_token=…)`). remember_me sets the lifetime.
 */
export async function login(ctx: RequestContext, input: LoginRequest, credential: string | undefined) {
  const failed = MESSAGES.login[401];
  let user: UserRecord;
  let current: Org | undefined;
  if (input.username) {
    const found = findUser(ctx.ns, input.username);
    if (!found || found.password === "" || input.password == null || found.password !== input.password) throw unauthorized(failed);
    user = found;
  } else {
    ({ user, org: current } = authenticate(ctx, { credential }, failed));
  }
  const org =
    input.org_identifier == null
      ? (current ?? findOrg(ctx.ns, user.default_org))
      : orgFor(ctx.ns, user, input.org_identifier, SPEC_TEXTS.loginOrg);
  if (!org) throw badRequest(SPEC_TEXTS.loginOrg);
  const remember = input.remember_me === true;
  const now = ctx.deps.clock.now();
  const rec: TokenRecord = {
    token: ctx.ns.ids.uuid(),
    user_id: user.id,
    org_id: org.id,
    creation_time_in_millis: now,
    expiration_time_in_millis: now + (remember ? REMEMBERED_SESSION_MS : SESSION_IDLE_MS),
    revoked: false,
    kind: "session",
    ...(!remember && { idle_ms: SESSION_IDLE_MS }),
  };
  await saveToken(ctx, rec);
  return rec.token;
}

/** POST /auth/session/logout: ends the cookie session (a bearer token stays valid). */
export async function logout(ctx: AuthedContext) {
  const { token } = ctx.principal;
  if (token.kind === "session") await saveToken(ctx, { ...token, revoked: true });
}

/** GET /auth/session/token: a new bearer token for the current session's user and org, valid 24 hours. */
export async function sessionToken(ctx: AuthedContext) {
  const { user, org, token } = ctx.principal;
  const forced = ctx.deps.scenarios.outcome(ctx, "token.issue", { org: org.id, org_name: org.name });
  if (forced?.error)
    throw new ApiError(forced.error.status, forced.error.message ?? textFor(MESSAGES.getCurrentUserToken, forced.error.status));
  const now = ctx.deps.clock.now();
  const rec: TokenRecord = {
    token: ctx.ns.ids.token(),
    user_id: user.id,
    org_id: org.id,
    creation_time_in_millis: now,
    expiration_time_in_millis: now + (forced?.validity_time_in_sec !== undefined ? forced.validity_time_in_sec * 1000 : SESSION_TOKEN_MS),
    revoked: false,
    kind: "token",
    ...(token.org_ids && { org_scope: token.org_scope, org_ids: token.org_ids }),
  };
  await saveToken(ctx, rec);
  return {
    token: rec.token,
    creation_time_in_millis: rec.creation_time_in_millis,
    expiration_time_in_millis: rec.expiration_time_in_millis,
    valid_for_user_id: user.id,
    valid_for_username: user.name,
  };
}

/** GET /auth/session/user: the User model (org ids are integers here). */
export function currentUser(ctx: AuthedContext) {
  const { user, org, token } = ctx.principal;
  const orgs = ctx.ns.state.orgs.filter((o) => user.orgs.includes(o.id)).map((o) => ({ id: Number(o.id), name: o.name }));
  return {
    id: user.id,
    name: user.name,
    display_name: user.display_name,
    visibility: "SHARABLE",
    author_id: null,
    can_change_password: user.password !== "",
    complete_detail: true,
    creation_time_in_millis: token.creation_time_in_millis,
    current_org: { id: Number(org.id), name: org.name },
    deleted: false,
    deprecated: false,
    account_type: "LOCAL_USER",
    account_status: "ACTIVE",
    email: user.email,
    expiration_time_in_millis: token.expiration_time_in_millis,
    external: false,
    hidden: false,
    orgs,
    privileges: user.privileges,
    super_user: false,
    system_user: false,
    tenant_id: null,
    // group_identifiers are ids or names: each is shown as what it is.
    ...(user.groups && { user_groups: user.groups.map((g) => (UUID.test(g) ? { id: g, name: null } : { id: null, name: g })) }),
  };
}
