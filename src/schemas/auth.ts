import { z } from "zod";
import { Identifier, Text } from "../limits.js";

/** Tokens and sessions: request bodies. */

export const FullTokenRequest = z.object({
  username: Identifier.min(1),
  password: Text.optional(),
  secret_key: Text.optional(),
  validity_time_in_sec: z.number().int().positive().optional(),
  org_id: z.number().int().min(0).optional(),
});
export type FullTokenRequest = z.infer<typeof FullTokenRequest>;

export const ValidateTokenRequest = z.object({ token: Text });

export const RevokeTokenRequest = z.object({ user_identifier: Identifier.optional(), token: Text.optional() });
export type RevokeTokenRequest = z.infer<typeof RevokeTokenRequest>;

export const LoginRequest = z.object({
  username: Identifier.optional(),
  password: Text.optional(),
  org_identifier: Identifier.optional(),
  remember_me: z.boolean().nullish(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;
