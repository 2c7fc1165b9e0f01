import { z } from "zod";
import { CRON_FIELDS, type CronField, isTimeZone } from "../cron.js";
import { Identifier, LIMITS, Name, Text } from "../limits.js";
import { IdName } from "./common.js";

/**
 * Liveboard schedules: the create, update and search bodies of the schedules endpoints, the
 * schedule as stored, and the runs the scheduler keeps (README, "Schedules").
 */

export const FileFormat = z.enum(["CSV", "PDF", "XLSX"]);
export type FileFormat = z.infer<typeof FileFormat>;

/** A time zone Intl knows: every value of the spec's list (IANA names and Java's short ids), a superset of it. */
export const TimeZone = Identifier.min(1).refine(isTimeZone, {
  message: "is not a known time zone (e.g. America/Los_Angeles, Etc/UTC, CET)",
});

/** A cron field as text; a JSON number (`"hour": 8`) is read as its digits, as a cluster's JSON binder does. */
const CronValue = z.union([z.string(), z.number().int().min(0).transform(String)]).pipe(z.string().min(1).max(LIMITS.cronField));
export const CronExpression = z.object(Object.fromEntries(CRON_FIELDS.map((f) => [f, CronValue])) as Record<CronField, typeof CronValue>);
export type CronExpression = z.infer<typeof CronExpression>;
export const Frequency = z.object({ cron_expression: CronExpression });
export type Frequency = z.infer<typeof Frequency>;

export const PrincipalType = z.enum(["USER", "USER_GROUP"]);
export const Principal = z.object({ identifier: Identifier.min(1), type: PrincipalType });
export type Principal = z.infer<typeof Principal>;

const RecipientDetailsInput = z.object({
  emails: z.array(Identifier.min(3)).max(LIMITS.entries).nullish(),
  principals: z.array(Principal).max(LIMITS.entries).nullish(),
});
export type RecipientDetailsInput = z.infer<typeof RecipientDetailsInput>;

export const PdfOptions = z.object({
  complete_liveboard: z.boolean().nullish(),
  include_cover_page: z.boolean().nullish(),
  include_custom_logo: z.boolean().nullish(),
  include_filter_page: z.boolean().nullish(),
  include_page_number: z.boolean().nullish(),
  page_footer_text: Text.nullish(),
  page_orientation: z.enum(["PORTRAIT", "LANDSCAPE"]).nullish(),
  page_size: z.enum(["A4", "TAB_BASED"]).nullish(),
  truncate_table: z.boolean().nullish(),
});
export type PdfOptions = z.infer<typeof PdfOptions>;

const LiveboardOptions = z.object({ visualization_identifiers: z.array(Identifier.min(1)).max(LIMITS.entries) });

/** An optional field; `null` is taken as absent (what the generated SDKs and lenient binders send for unset). */
const absent = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const Optional = {
  file_format: absent(FileFormat),
  liveboard_options: absent(LiveboardOptions),
  pdf_options: absent(PdfOptions),
  frequency: absent(Frequency),
  personalised_view_id: absent(Identifier.min(1)),
};

export const CreateScheduleRequest = z.object({
  name: Name,
  description: Text,
  metadata_type: z.literal("LIVEBOARD"),
  metadata_identifier: Identifier.min(1),
  time_zone: TimeZone,
  recipient_details: RecipientDetailsInput,
  ...Optional,
});
export type CreateScheduleRequest = z.infer<typeof CreateScheduleRequest>;

/** `PAUSED` (what search answers) is taken as `PAUSE`, so a status read back can be sent again. */
export const ScheduleStatusInput = z.enum(["ACTIVE", "PAUSE", "PAUSED"]);

export const UpdateScheduleRequest = z.object({
  name: absent(Name),
  description: absent(Text),
  metadata_type: absent(z.literal("LIVEBOARD")),
  metadata_identifier: absent(Identifier.min(1)),
  time_zone: absent(TimeZone),
  recipient_details: absent(RecipientDetailsInput),
  status: absent(ScheduleStatusInput),
  ...Optional,
});
export type UpdateScheduleRequest = z.infer<typeof UpdateScheduleRequest>;

export const ScheduleSortField = z.enum(["NAME", "CREATED", "MODIFIED"]);
export const SearchSchedulesRequest = z.object({
  metadata: z
    .array(z.object({ identifier: Identifier.min(1), type: z.literal("LIVEBOARD").nullish() }))
    .max(LIMITS.entries)
    .nullish(),
  record_offset: z.number().int().nullish(),
  record_size: z.number().int().nullish(),
  sort_options: z.object({ field_name: ScheduleSortField.nullish(), order: z.enum(["ASC", "DESC"]).nullish() }).nullish(),
  history_runs_options: z
    .object({
      include_history_runs: z.boolean().nullish(),
      record_size: z.number().int().nullish(),
      record_offset: z.number().int().nullish(),
    })
    .nullish(),
  schedule_identifiers: z.array(Identifier.min(1)).max(LIMITS.entries).nullish(),
});
export type SearchSchedulesRequest = z.infer<typeof SearchSchedulesRequest>;

/** A schedule as stored (fixtures, the data dir): the wire fields, its org, and when its runs start counting. */
export const ScheduleRecord = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  org: IdName,
  author: IdName,
  creation_time_in_millis: z.number(),
  modification_time_in_millis: z.number(),
  metadata: z.object({ id: z.string().min(1), name: z.string().nullable(), type: z.literal("LIVEBOARD") }),
  file_format: FileFormat,
  liveboard_options: LiveboardOptions.nullable(),
  pdf_options: PdfOptions.nullable(),
  time_zone: z.string().min(1),
  frequency: Frequency,
  recipient_details: z.object({ emails: z.array(z.string()), principals: z.array(Principal) }),
  status: z.enum(["ACTIVE", "PAUSED"]),
  personalised_view_id: z.string().nullable(),
  /** Runs are due after this instant (creation, or the last change of frequency, time zone or status). */
  runs_from: z.number(),
});
export type ScheduleRecord = z.infer<typeof ScheduleRecord>;

/** One run of a schedule, as the scheduler records it (the newest MAX_RUNS per schedule are kept). */
export interface ScheduleRun {
  id: string;
  /** The run's time: when it was due. */
  scheduled_time_in_millis: number;
  start_time_in_millis: number;
  end_time_in_millis: number;
  status: "RUNNING" | "SUCCESS" | "FAILED";
  detail: string | null;
  /** Fired by POST /_emulator/schedules/:schedule/run, not by the cron: it does not count for when the next runs are due. */
  run_now?: true;
}
