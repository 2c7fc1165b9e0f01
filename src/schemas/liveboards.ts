import { z } from "zod";

/**
 * Liveboards: fixture data (no endpoint changes them) that schedules name by id or name. A
 * Liveboard belongs to one org and has an owner; other users see it as far as it is shared with
 * them, READ_ONLY or MODIFY (docs/decisions.md, "Schedules").
 */

export const ShareAccess = z.enum(["READ_ONLY", "MODIFY"]);
export type ShareAccess = z.infer<typeof ShareAccess>;

const IdAndName = z.object({ id: z.string().min(1), name: z.string().min(1) });

export const LiveboardRecord = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** The org id it belongs to. */
  org: z.string().regex(/^\d+$/),
  /** The user who owns it: a user id or name. */
  owner: z.string().min(1),
  visualizations: z.array(IdAndName).default([]),
  /** Personalised views a schedule may export (`personalised_view_id`). */
  views: z.array(IdAndName).default([]),
  /** Who else may see it (READ_ONLY) or edit it (MODIFY): a user id or name each. */
  shared_with: z.array(z.object({ user: z.string().min(1), access: ShareAccess })).default([]),
});
export type LiveboardRecord = z.infer<typeof LiveboardRecord>;
