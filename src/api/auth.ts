import { FullTokenRequest, LoginRequest, RevokeTokenRequest, ValidateTokenRequest } from "../schemas/auth.js";
import * as auth from "../services/auth.js";
import { endpoint } from "./endpoint.js";

/** Tokens and sessions. */
export const authEndpoints = [
  endpoint({
    method: "POST",
    path: "/auth/token/full",
    operationId: "getFullAccessToken",
    access: "public",
    body: FullTokenRequest,
    status: 200,
    handler: (ctx, body) => auth.issueFullToken(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/auth/token/validate",
    operationId: "validateToken",
    access: "authenticated",
    body: ValidateTokenRequest,
    status: 200,
    handler: (ctx, body) => auth.validateToken(ctx, body.token),
  }),
  endpoint({
    method: "POST",
    path: "/auth/token/revoke",
    operationId: "revokeToken",
    access: "authenticated",
    body: RevokeTokenRequest,
    status: 204,
    handler: (ctx, body) => auth.revokeToken(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/auth/session/login",
    operationId: "login",
    access: "public",
    body: LoginRequest,
    status: 204,
    handler: async (ctx, body, c) => {
      const session = await auth.login(ctx, body, c.get("credential"));
      c.header("Set-Cookie", `JSESSIONID=${session}; Path=/; HttpOnly`);
    },
  }),
  endpoint({
    method: "POST",
    path: "/auth/session/logout",
    operationId: "logout",
    access: "authenticated",
    status: 204,
    handler: (ctx) => auth.logout(ctx),
  }),
  endpoint({
    method: "GET",
    path: "/auth/session/user",
    operationId: "getCurrentUserInfo",
    access: "authenticated",
    status: 200,
    handler: (ctx) => auth.currentUser(ctx),
  }),
  endpoint({
    method: "GET",
    path: "/auth/session/token",
    operationId: "getCurrentUserToken",
    access: "authenticated",
    status: 200,
    handler: (ctx) => auth.sessionToken(ctx),
  }),
];
