import { z } from "zod";
import * as auth from "../services/auth.js";
import { searchOrgs } from "../services/orgs.js";
import { endpoint } from "./endpoint.js";

const FullToken = z.object({
  username: z.string().min(1),
  password: z.string().optional(),
  secret_key: z.string().optional(),
  validity_time_in_sec: z.number().int().positive().optional(),
  org_id: z.number().int().min(0).optional(),
});

const Login = z.object({
  username: z.string().optional(),
  password: z.string().optional(),
  org_identifier: z.string().optional(),
  remember_me: z.boolean().nullish(),
});

const OrgSearch = z.object({
  org_identifier: z.string().optional(),
  description: z.string().optional(),
  visibility: z.enum(["SHOW", "HIDDEN"]).optional(),
  status: z.enum(["ACTIVE", "IN_ACTIVE"]).optional(),
  user_identifiers: z.array(z.string()).optional(),
});

export const authEndpoints = [
  endpoint({
    method: "POST", path: "/auth/token/full", operationId: "getFullAccessToken", phrase: "get a full access token",
    access: "public", body: FullToken,
    handler: async (ctx, body, c) => c.json(await auth.issueFullToken(ctx, body)),
  }),
  endpoint({
    method: "POST", path: "/auth/token/validate", operationId: "validateToken", phrase: "validate the token",
    access: "authenticated", body: z.object({ token: z.string() }),
    handler: (ctx, body, c) => c.json(auth.validateToken(ctx, body.token)),
  }),
  endpoint({
    method: "POST", path: "/auth/token/revoke", operationId: "revokeToken", phrase: "revoke the token",
    access: "authenticated", body: z.object({ user_identifier: z.string().optional(), token: z.string().optional() }),
    handler: async (ctx, body, c) => {
      await auth.revokeToken(ctx, body);
      return c.body(null, 204);
    },
  }),
  endpoint({
    method: "POST", path: "/auth/session/login", operationId: "login", phrase: "log in",
    access: "public", body: Login,
    handler: async (ctx, body, c) => {
      const session = await auth.login(ctx, body);
      c.header("Set-Cookie", `JSESSIONID=${session}; Path=/; HttpOnly`);
      return c.body(null, 204);
    },
  }),
  endpoint({
    method: "POST", path: "/auth/session/logout", operationId: "logout", phrase: "log out",
    access: "authenticated",
    handler: async (ctx, _body, c) => {
      await auth.logout(ctx);
      return c.body(null, 204);
    },
  }),
  endpoint({
    method: "GET", path: "/auth/session/user", operationId: "getCurrentUserInfo", phrase: "get the current user",
    access: "authenticated",
    handler: (ctx, _body, c) => c.json(auth.currentUser(ctx)),
  }),
  endpoint({
    method: "POST", path: "/orgs/search", operationId: "searchOrgs", phrase: "search orgs",
    access: "authenticated", body: OrgSearch,
    handler: (ctx, body, c) => c.json(searchOrgs(ctx.ns, ctx.principal.user, body)),
  }),
];
