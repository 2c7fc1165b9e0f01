import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { PACKAGE_ROOT } from "./paths.js";
import { Org } from "./schemas/orgs.js";
import { Preferences } from "./schemas/preferences.js";
import { UserRecord } from "./schemas/records.js";
import { WebhookRecord } from "./schemas/webhooks.js";

/** A fixtures file: the orgs, users, preferences and webhooks every namespace starts from. */
export const FixturesSchema = z.object({
  $schema: z.string().optional(),
  secret_key: z.string().min(1),
  orgs: z.array(Org).min(1),
  users: z.array(UserRecord),
  preferences: Preferences,
  // Pre-made webhooks in the full stored shape (secrets in clear).
  webhooks: z.array(WebhookRecord).default([]),
});

export type Fixtures = z.infer<typeof FixturesSchema>;

export const DEFAULT_FIXTURES_FILE = join(PACKAGE_ROOT, "fixtures", "fixtures.json");

/** Reads and checks a fixtures file; a bad file stops start-up with the path and the field. */
export function loadFixtures(file = DEFAULT_FIXTURES_FILE): Fixtures {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`[emulator] Cannot read the fixtures file ${file}: ${(err as Error).message}`);
  }
  return checkFixtures(raw, file);
}

export function checkFixtures(raw: unknown, source: string): Fixtures {
  const parsed = FixturesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`[emulator] The fixtures file ${source} is invalid at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}
