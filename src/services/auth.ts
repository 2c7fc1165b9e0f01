import type { AuthedContext, Namespace, Principal, RequestContext } from "../context.js";
import { ApiError, badRequest, forbidden, unauthorized } from "../errors.js";
import type { FullTokenRequest, LoginRequest, RevokeTokenRequest } from "../schemas/auth.js";
import type { TokenRecord, UserRecord } from "../schemas/records.js";
import { findOrg } from "./orgs.js";

const SESSION_TTL_MS = 24 * 60 * 60 * 1000;
const BAD_CREDENTIALS = "Invalid credentials. The provided secret key or password is incorrect.";

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

/** Resolves the caller from a bearer token or session id; any failure is a 401 for `phrase`. */
export function authenticate(ctx: RequestContext, credential: string | undefined, phrase: string): Principal {
  if (!credential) throw unauthorized(phrase);
  const rec = tokenOf(ctx, credential);
  if (!rec || rec.revoked || rec.expiration_time_in_millis <= ctx.deps.clock.now()) throw unauthorized(phrase);
  const user = ctx.ns.state.users.find((u) => u.id === rec.user_id);
  const org = user && findOrg(ctx.ns, rec.org_id);
  if (!user || !org) throw unauthorized(phrase);
  const forced = ctx.deps.scenarios.outcome(ctx, "token.check", { org: org.id, org_name: org.name });
  if (forced?.expired) throw unauthorized(phrase);
  return { user, org, token: rec };
}

/** POST /auth/token/full: checks password or trusted-auth secret key, issues an opaque token. */
export async function issueFullToken(ctx: RequestContext, input: FullTokenRequest) {
  if (input.password === undefined && input.secret_key === undefined) {
    throw badRequest("Either secret_key or password must be provided.");
  }
  const user = findUser(ctx.ns, input.username);
  const ok =
    user !== undefined &&
    (input.secret_key !== undefined ? input.secret_key === ctx.ns.state.secret_key : input.password === user.password);
  if (!user || !ok) throw new ApiError(401, BAD_CREDENTIALS);
  const orgId = input.org_id === undefined ? user.default_org : String(input.org_id);
  if (!user.orgs.includes(orgId) || !findOrg(ctx.ns, orgId)) {
    throw badRequest(`User ${user.name} does not belong to the org with id ${orgId}.`);
  }
  const forced = ctx.deps.scenarios.outcome(ctx, "token.issue", { org: orgId });
  if (forced?.error) throw new ApiError(forced.error.status, forced.error.message ?? BAD_CREDENTIALS);
  const validity = forced?.validity_time_in_sec ?? input.validity_time_in_sec ?? ctx.deps.config.tokenTtlSec;
  const now = ctx.deps.clock.now();
  const rec: TokenRecord = {
    token: ctx.ns.ids.token(),
    user_id: user.id,
    org_id: orgId,
    creation_time_in_millis: now,
    expiration_time_in_millis: now + validity * 1000,
    revoked: false,
    kind: "token",
  };
  await saveToken(ctx, rec);
  return {
    token: rec.token,
    creation_time_in_millis: rec.creation_time_in_millis,
    expiration_time_in_millis: rec.expiration_time_in_millis,
    scope: { access_type: "FULL", org_id: Number(orgId), metadata_id: null },
    valid_for_user_id: user.id,
    valid_for_username: user.name,
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
    scope: { access_type: "FULL", org_id: Number(rec.org_id), metadata_id: null },
    valid_for_user_id: rec.user_id,
    token_type: "Bearer",
  };
}

/** POST /auth/token/revoke: own token by default; another user's tokens need ADMINISTRATION. */
export async function revokeToken(ctx: AuthedContext, input: RevokeTokenRequest) {
  const { principal } = ctx;
  const isAdmin = principal.user.privileges.includes("ADMINISTRATION");
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
  if (!isAdmin && targets.some((t) => t.user_id !== principal.user.id)) throw forbidden("revoke the token");
  await ctx.deps.store.mutate(ctx.ns, (tx) => {
    for (const t of targets) tx.putToken({ ...t, revoked: true });
  });
}

/** POST /auth/session/login: a JSESSIONID session, used like a token through the cookie. */
export async function login(ctx: RequestContext, input: LoginRequest) {
  if (!input.username || input.password === undefined) throw badRequest("username and password must be provided.");
  const user = findUser(ctx.ns, input.username);
  if (!user || user.password !== input.password) throw new ApiError(401, BAD_CREDENTIALS);
  const org = input.org_identifier === undefined ? findOrg(ctx.ns, user.default_org) : findOrg(ctx.ns, input.org_identifier);
  if (!org || !user.orgs.includes(org.id)) throw badRequest("org_identifier does not match an org the user belongs to.");
  const now = ctx.deps.clock.now();
  const rec: TokenRecord = {
    token: ctx.ns.ids.uuid(),
    user_id: user.id,
    org_id: org.id,
    creation_time_in_millis: now,
    expiration_time_in_millis: now + SESSION_TTL_MS,
    revoked: false,
    kind: "session",
  };
  await saveToken(ctx, rec);
  return rec.token;
}

/** POST /auth/session/logout: ends the cookie session (a bearer token stays valid). */
export async function logout(ctx: AuthedContext) {
  const { token } = ctx.principal;
  if (token.kind === "session") await saveToken(ctx, { ...token, revoked: true });
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
    can_change_password: true,
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
  };
}
