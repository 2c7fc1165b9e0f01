import { z } from "zod";
import { Identifier, Text } from "../limits.js";

/**
 * Tokens and sessions: request bodies, as lenient as clusters are with what real clients send
 * (docs/decisions.md, "What clients send"): the generated SDKs send `password` and `secret_key`
 * as "" when unset; TSRestApiV2 sends `remember_me` as the string "true" and `org_identifier` as a
 * number.
 */

/** A secret where "" (or null) means not given. */
const Secret = z
  .string()
  .nullish()
  .transform((v) => (v === "" || v === null ? undefined : v));

/** An integer as a JSON number or a numeric string. */
function lenientInt(field: string, min: number) {
  const text = `${field} must be an integer of at least ${min} (a number or a numeric string).`;
  return z.union([z.number().int().min(min), z.string().regex(/^\d+$/).transform(Number)], { error: text }).refine((n) => n >= min, text);
}

/** A boolean as JSON true/false or the strings "true"/"false" (any case). */
function lenientBool(field: string) {
  return z.union(
    [
      z.boolean(),
      z
        .string()
        .regex(/^(true|false)$/i)
        .transform((v) => v.toLowerCase() === "true"),
    ],
    {
      error: `${field} must be a boolean (true or false).`,
    },
  );
}

/** The 26.10 Beta token scope: the orgs an org-scoped token may work in (schemas/releases.ts). */
export const TokenScopeInput = z.object({
  org_scope: z.enum(["SPECIFIC_ORGS", "ALL_MEMBER_ORGS"]),
  org_identifiers: z.array(z.union([z.string(), z.number().int()]).transform(String)).nullish(),
});
export type TokenScopeInput = z.infer<typeof TokenScopeInput>;

export const FullTokenRequest = z.object({
  username: Identifier.min(1),
  password: Secret,
  secret_key: Secret,
  validity_time_in_sec: lenientInt("validity_time_in_sec", 1).optional(),
  org_id: lenientInt("org_id", 0).nullish(),
  email: Identifier.nullish(),
  display_name: Identifier.nullish(),
  auto_create: lenientBool("auto_create").nullish(),
  group_identifiers: z.array(Identifier).max(1000).nullish(),
  scope: TokenScopeInput.optional(),
});
export type FullTokenRequest = z.infer<typeof FullTokenRequest>;

export const ValidateTokenRequest = z.object({ token: Text });

export const RevokeTokenRequest = z.object({ user_identifier: Identifier.optional(), token: Text.optional() });
export type RevokeTokenRequest = z.infer<typeof RevokeTokenRequest>;

export const LoginRequest = z.object({
  username: Identifier.nullish(),
  password: Text.nullish(),
  org_identifier: z
    .union([Identifier, z.number().int()], { error: "org_identifier must be an org id or name." })
    .transform(String)
    .nullish(),
  remember_me: lenientBool("remember_me").nullish(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;
