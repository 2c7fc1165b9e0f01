import { FullTokenRequest, LoginRequest, RevokeTokenRequest, ValidateTokenRequest } from "../schemas/auth.js";
import * as auth from "../services/auth.js";
import { endpoint } from "./endpoint.js";

/** Tokens and sessions. */
export const authEndpoints = [
  endpoint({
    method: "POST",
    path: "/auth/token/full",
    operationId: "getFullAccessToken",
    phrase: "get a full access token",
    access: "public",
    body: FullTokenRequest,
    status: 200,
    handler: (ctx, body) => auth.issueFullToken(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/auth/token/validate",
    operationId: "validateToken",
    phrase: "validate the token",
    access: "authenticated",
    body: ValidateTokenRequest,
    status: 200,
    handler: (ctx, body) => auth.validateToken(ctx, body.token),
  }),
  endpoint({
    method: "POST",
    path: "/auth/token/revoke",
    operationId: "revokeToken",
    phrase: "revoke the token",
    access: "authenticated",
    body: RevokeTokenRequest,
    status: 204,
    handler: (ctx, body) => auth.revokeToken(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/auth/session/login",
    operationId: "login",
    phrase: "log in",
    access: "public",
    body: LoginRequest,
    status: 204,
    handler: async (ctx, body, c) => {
      const session = await auth.login(ctx, body);
      c.header("Set-Cookie", `JSESSIONID=${session}; Path=/; HttpOnly`);
    },
  }),
  endpoint({
    method: "POST",
    path: "/auth/session/logout",
    operationId: "logout",
    phrase: "log out",
    access: "authenticated",
    status: 204,
    handler: (ctx) => auth.logout(ctx),
  }),
  endpoint({
    method: "GET",
    path: "/auth/session/user",
    operationId: "getCurrentUserInfo",
    phrase: "get the current user",
    access: "authenticated",
    status: 200,
    handler: (ctx) => auth.currentUser(ctx),
  }),
];
