import { z } from "zod";
import { Identifier, LIMITS, Text } from "../limits.js";

/** Orgs: the search request body and the org as stored in fixtures. */

export const SearchOrgsRequest = z.object({
  org_identifier: z.union([Identifier, z.number().int()]).transform(String).optional(),
  description: Text.optional(),
  visibility: z.enum(["SHOW", "HIDDEN"]).optional(),
  status: z.enum(["ACTIVE", "IN_ACTIVE"]).optional(),
  user_identifiers: z.array(Identifier).max(LIMITS.orgs).optional(),
});
export type SearchOrgsRequest = z.infer<typeof SearchOrgsRequest>;

export const Org = z.object({ id: z.string().regex(/^\d+$/), name: z.string().min(1), description: z.string().optional() });
export type Org = z.infer<typeof Org>;
