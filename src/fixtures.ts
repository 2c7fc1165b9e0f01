import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { PACKAGE_ROOT } from "./paths.js";
import { LiveboardRecord } from "./schemas/liveboards.js";
import { Org } from "./schemas/orgs.js";
import { Preferences } from "./schemas/preferences.js";
import { UserRecord } from "./schemas/records.js";
import { ScheduleRecord } from "./schemas/schedules.js";
import { WebhookRecord } from "./schemas/webhooks.js";

/**
 * A fixtures file: the orgs, users, preferences, webhooks, Liveboards and schedules every namespace
 * starts from. References are checked: a Liveboard's org, owner and shares, a schedule's org and
 * Liveboard must exist.
 */
export const FixturesSchema = z
  .object({
    $schema: z.string().optional(),
    secret_key: z.string().min(1),
    orgs: z.array(Org).min(1),
    users: z.array(UserRecord),
    preferences: Preferences,
    // Pre-made webhooks in the full stored shape (secrets in clear).
    webhooks: z.array(WebhookRecord).default([]),
    liveboards: z.array(LiveboardRecord).default([]),
    // Pre-made schedules in the stored shape.
    schedules: z.array(ScheduleRecord).default([]),
  })
  .superRefine((f, ctx) => {
    const orgs = new Set(f.orgs.map((o) => o.id));
    const user = (ident: string) => f.users.some((u) => u.id === ident || u.name === ident);
    const seen = new Set<string>();
    f.liveboards.forEach((b, i) => {
      const at = (...path: (string | number)[]) => ["liveboards", i, ...path];
      if (seen.has(b.id)) ctx.addIssue({ code: "custom", path: at("id"), message: `duplicate Liveboard id ${b.id}` });
      seen.add(b.id);
      if (!orgs.has(b.org)) ctx.addIssue({ code: "custom", path: at("org"), message: `no org with id ${b.org}` });
      if (!user(b.owner)) ctx.addIssue({ code: "custom", path: at("owner"), message: `no user ${b.owner}` });
      b.shared_with.forEach((s, k) => {
        if (!user(s.user)) ctx.addIssue({ code: "custom", path: at("shared_with", k, "user"), message: `no user ${s.user}` });
      });
    });
    f.schedules.forEach((s, i) => {
      if (!orgs.has(s.org.id)) ctx.addIssue({ code: "custom", path: ["schedules", i, "org", "id"], message: `no org with id ${s.org.id}` });
      if (!f.liveboards.some((b) => b.id === s.metadata.id && b.org === s.org.id))
        ctx.addIssue({
          code: "custom",
          path: ["schedules", i, "metadata", "id"],
          message: `no Liveboard ${s.metadata.id} in org ${s.org.id}`,
        });
    });
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
