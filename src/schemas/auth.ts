import { z } from "zod";

/** Tokens and sessions: request bodies. */

export const FullTokenRequest = z.object({
  username: z.string().min(1),
  password: z.string().optional(),
  secret_key: z.string().optional(),
  validity_time_in_sec: z.number().int().positive().optional(),
  org_id: z.number().int().min(0).optional(),
});
export type FullTokenRequest = z.infer<typeof FullTokenRequest>;

export const ValidateTokenRequest = z.object({ token: z.string() });

export const RevokeTokenRequest = z.object({ user_identifier: z.string().optional(), token: z.string().optional() });
export type RevokeTokenRequest = z.infer<typeof RevokeTokenRequest>;

export const LoginRequest = z.object({
  username: z.string().optional(),
  password: z.string().optional(),
  org_identifier: z.string().optional(),
  remember_me: z.boolean().nullish(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;
