import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "./paths.js";
import { z } from "zod";

const ChannelSchema = z.enum(["EMAIL", "WEBHOOK"]);
const PrefSchema = z.object({ event_type: z.literal("LIVEBOARD_SCHEDULE"), channels: z.array(ChannelSchema) });

export const FixturesSchema = z.object({
  secret_key: z.string().min(1),
  orgs: z
    .array(z.object({ id: z.string().regex(/^\d+$/), name: z.string().min(1), description: z.string().optional() }))
    .min(1),
  users: z.array(
    z.object({
      id: z.string().uuid(),
      name: z.string().min(1),
      display_name: z.string(),
      email: z.string(),
      password: z.string(),
      privileges: z.array(z.string()),
      orgs: z.array(z.string()),
      default_org: z.string(),
    }),
  ),
  preferences: z.object({ cluster: z.array(PrefSchema), orgs: z.record(z.string(), z.array(PrefSchema)) }),
  // Pre-made webhooks are stored as given (full wire shape, secrets in clear).
  webhooks: z.array(z.any()).default([]),
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
  const parsed = FixturesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`[emulator] The fixtures file ${file} is invalid at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data as Fixtures;
}
