import { z } from "zod";
import { Identifier, LIMITS, Name } from "../limits.js";

/** Request bodies of the emulator's own routes under /_emulator. */

export const ResetRequest = z.object({ namespace: Identifier.optional() }).strict();

export const ClockRequest = z
  .object({
    now: z.union([Identifier, z.number()]).optional(),
    advance_ms: z.number().optional(),
    freeze: z.boolean().optional(),
  })
  .strict();

export const SynthesizeRequest = z
  .object({
    channel_identifier: Identifier.optional(),
    org_identifier: Identifier.optional(),
    days: z.number().min(0).max(3650).default(3),
    runs_per_day: z.number().min(0).max(100_000).default(8),
    failure_rate: z.number().min(0).max(1).default(0.05),
    retry_rate: z.number().min(0).max(1).default(0.1),
  })
  .strict();
export type SynthesizeRequest = z.infer<typeof SynthesizeRequest>;

export const DeliveryRequest = z
  .object({
    channel_identifier: Identifier.min(1),
    org_identifier: Identifier.optional(),
    schedule_name: Name.default("Weekly Sales Review"),
    liveboard_name: Name.default("Sales Overview"),
    recipients: z
      .array(
        z
          .object({
            type: z.enum(["USER", "EXTERNAL"]),
            id: Identifier.nullish(),
            name: Identifier.nullish(),
            email: Identifier.min(3),
          })
          .strict(),
      )
      .max(LIMITS.entries)
      .optional(),
    wait: z.boolean().default(false),
  })
  .strict();
export type DeliveryRequest = z.infer<typeof DeliveryRequest>;
