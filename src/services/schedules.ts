import type { AuthedContext, Namespace, RequestContext } from "../context.js";
import { CronError, nextRun, parseCron } from "../cron.js";
import { badRequest, forbidden } from "../errors.js";
import { LIMITS } from "../limits.js";
import { type Privilege, SCHEDULE_FOR_OTHERS } from "../schemas/common.js";
import type { LiveboardRecord } from "../schemas/liveboards.js";
import { MESSAGES } from "../schemas/messages.js";
import type { UserRecord } from "../schemas/records.js";
import type {
  CreateScheduleRequest,
  Frequency,
  PdfOptions,
  Principal,
  RecipientDetailsInput,
  ScheduleRecord,
  SearchSchedulesRequest,
  UpdateScheduleRequest,
} from "../schemas/schedules.js";
import type { Tx } from "../store/index.js";
import { findLiveboard, liveboardAccess } from "./liveboards.js";
import { findOrg, mayUseOrg } from "./orgs.js";
import { scheduleChannels } from "./preferences.js";
import { armSchedules, runNow, runsOf } from "./scheduler.js";

/**
 * The schedules endpoints (README, "Schedules"; docs/decisions.md, "Schedules"): Liveboard
 * schedules of the caller's org, made for Liveboards the caller may edit; recipients other than
 * the caller need ADMINISTRATION or JOBSCHEDULING. Every change re-arms the namespace's scheduler.
 */

const NOT_FOUND = "Schedule with the specified identifier was not found.";
const NO_LIVEBOARD = "Liveboard with the specified metadata_identifier was not found.";

/** A schedule created without `frequency` runs daily at 08:00 in its time zone. */
export const DEFAULT_FREQUENCY: Frequency = {
  cron_expression: { second: "0", minute: "0", hour: "8", day_of_month: "*", month: "*", day_of_week: "*" },
};

const PDF_KEYS = [
  "complete_liveboard",
  "include_cover_page",
  "include_custom_logo",
  "include_filter_page",
  "include_page_number",
  "page_footer_text",
  "page_orientation",
  "page_size",
  "truncate_table",
] as const;

/** Every PDF option, null where not given (the order of the documented response). */
const pdfOptions = (p: PdfOptions): PdfOptions => Object.fromEntries(PDF_KEYS.map((k) => [k, p[k] ?? null])) as PdfOptions;

const holds = (user: UserRecord, privileges: readonly Privilege[]) => privileges.some((p) => user.privileges.includes(p));

/** The wire shape (ResponseSchedule), in the documented key order; `history_runs` null unless asked for. */
export function scheduleView(s: ScheduleRecord, historyRuns: unknown[] | null = null) {
  return {
    author: s.author,
    creation_time_in_millis: s.creation_time_in_millis,
    description: s.description,
    file_format: s.file_format,
    frequency: s.frequency,
    id: s.id,
    liveboard_options: s.liveboard_options,
    metadata: s.metadata,
    name: s.name,
    pdf_options: s.pdf_options,
    recipient_details: s.recipient_details,
    status: s.status,
    time_zone: s.time_zone,
    history_runs: historyRuns,
    personalised_view_id: s.personalised_view_id,
  };
}

/** A schedule of one org by id or name (id first). */
export function findSchedule(ns: Pick<Namespace, "state">, orgId: string, identifier: string): ScheduleRecord | undefined {
  const inOrg = ns.state.schedules.filter((s) => s.org.id === orgId);
  return inOrg.find((s) => s.id === identifier) ?? inOrg.find((s) => s.name === identifier);
}

/** The Liveboard a request names, visible to the caller in their org (an invisible one is not found). */
function liveboardFor(ctx: AuthedContext, identifier: string): LiveboardRecord {
  const board = findLiveboard(ctx.ns, ctx.principal.org.id, identifier);
  if (!board || liveboardAccess(ctx.principal.user, board) === null) throw badRequest(NO_LIVEBOARD);
  return board;
}

function checkFrequency(ctx: AuthedContext, f: Frequency, timeZone: string): void {
  try {
    const cron = parseCron(f.cron_expression);
    if (nextRun(cron, timeZone, ctx.deps.clock.now()) === null) {
      throw badRequest("frequency.cron_expression matches no date (a day that never comes, such as February 30th).");
    }
  } catch (err) {
    if (err instanceof CronError) throw badRequest(`Invalid value for field 'frequency.cron_expression.${err.field}': ${err.message}.`);
    throw err;
  }
}

/**
 * The recipients as stored: users by id (they must exist and belong to the org), groups and
 * e-mail addresses as given. Whether any of them is someone other than the caller.
 */
function recipientsOf(ctx: AuthedContext, input: RecipientDetailsInput) {
  const { ns, principal } = ctx;
  const me = principal.user;
  const principals: Principal[] = [];
  let others = false;
  for (const p of input.principals ?? []) {
    let identifier = p.identifier;
    if (p.type === "USER") {
      const user = ns.state.users.find((u) => u.id === p.identifier) ?? ns.state.users.find((u) => u.name === p.identifier);
      if (!user || !mayUseOrg(user, principal.org)) {
        throw badRequest(`User '${p.identifier}' in recipient_details.principals was not found in org '${principal.org.name}'.`);
      }
      identifier = user.id;
      if (user.id !== me.id) others = true;
    } else others = true;
    if (!principals.some((q) => q.type === p.type && q.identifier === identifier)) principals.push({ identifier, type: p.type });
  }
  const emails: string[] = [];
  (input.emails ?? []).forEach((e, i) => {
    if (!/^[^\s@]+@[^\s@]+$/.test(e)) throw badRequest(`Invalid value for field 'recipient_details.emails[${i}]': not an e-mail address.`);
    if (e.toLowerCase() !== me.email.toLowerCase()) others = true;
    if (!emails.includes(e)) emails.push(e);
  });
  if (principals.length === 0 && emails.length === 0) {
    throw badRequest("recipient_details must name at least one recipient: a user or group in principals, or an address in emails.");
  }
  return { recipients: { emails, principals }, others };
}

/** Visualizations by id or name → their ids on the Liveboard (400 for one it does not have). */
function visualizationsOf(board: LiveboardRecord, idents: string[]): string[] {
  return idents.map((ident) => {
    const viz = board.visualizations.find((v) => v.id === ident) ?? board.visualizations.find((v) => v.name === ident);
    if (!viz)
      throw badRequest(`Visualization '${ident}' in liveboard_options.visualization_identifiers is not on Liveboard '${board.name}'.`);
    return viz.id;
  });
}

function viewOf(board: LiveboardRecord, ident: string): string {
  const view = board.views.find((v) => v.id === ident) ?? board.views.find((v) => v.name === ident);
  if (!view) throw badRequest(`personalised_view_id '${ident}' is not a personalised view of Liveboard '${board.name}'.`);
  return view.id;
}

function checkName(tx: Tx, orgId: string, name: string, self?: ScheduleRecord): void {
  if (tx.state.schedules.some((s) => s.org.id === orgId && s.name === name && s.id !== self?.id)) {
    throw badRequest(`A schedule with the name '${name}' already exists in this org.`);
  }
}

/** POST /schedules/create: a schedule of a Liveboard the caller may edit, in the caller's org. */
export async function createSchedule(ctx: AuthedContext, input: CreateScheduleRequest) {
  const { ns, deps, principal } = ctx;
  const board = liveboardFor(ctx, input.metadata_identifier);
  if (liveboardAccess(principal.user, board) !== "MODIFY") throw forbidden(MESSAGES.createSchedule[403]);
  const { recipients, others } = recipientsOf(ctx, input.recipient_details);
  if (others && !holds(principal.user, SCHEDULE_FOR_OTHERS)) throw forbidden(MESSAGES.createSchedule[403]);
  const frequency = input.frequency ?? DEFAULT_FREQUENCY;
  checkFrequency(ctx, frequency, input.time_zone);
  const vizIds = input.liveboard_options && visualizationsOf(board, input.liveboard_options.visualization_identifiers);
  const viewId = input.personalised_view_id === undefined ? null : viewOf(board, input.personalised_view_id);
  const record = await deps.store.mutate(ns, (tx) => {
    checkName(tx, principal.org.id, input.name);
    if (tx.state.schedules.length >= LIMITS.schedules) {
      throw badRequest(`A namespace holds at most ${LIMITS.schedules} schedules; delete some first.`);
    }
    const now = deps.clock.now();
    const created: ScheduleRecord = {
      id: ns.ids.uuid(),
      name: input.name,
      description: input.description,
      org: { id: principal.org.id, name: principal.org.name },
      author: { id: principal.user.id, name: principal.user.name },
      creation_time_in_millis: now,
      modification_time_in_millis: now,
      metadata: { id: board.id, name: board.name, type: "LIVEBOARD" },
      file_format: input.file_format ?? "PDF",
      liveboard_options: vizIds ? { visualization_identifiers: vizIds } : null,
      pdf_options: input.pdf_options ? pdfOptions(input.pdf_options) : null,
      time_zone: input.time_zone,
      frequency,
      recipient_details: recipients,
      status: "ACTIVE",
      personalised_view_id: viewId,
      runs_from: now,
    };
    tx.putSchedule(created);
    return created;
  });
  armSchedules(ctx);
  return scheduleView(record);
}

/** POST /schedules/{schedule_identifier}/update: a partial update; `status` pauses or resumes it. */
export async function updateSchedule(ctx: AuthedContext, identifier: string, input: UpdateScheduleRequest): Promise<void> {
  const { ns, deps, principal } = ctx;
  if (identifier.length > LIMITS.identifier) {
    throw badRequest(`Field 'schedule_identifier' can be at most ${LIMITS.identifier} characters long.`);
  }
  const current = findSchedule(ns, principal.org.id, identifier);
  if (!current) throw badRequest(NOT_FOUND);
  const board = liveboardFor(ctx, input.metadata_identifier ?? current.metadata.id);
  const editable = (b: LiveboardRecord) => liveboardAccess(principal.user, b) === "MODIFY";
  const before = findLiveboard(ns, principal.org.id, current.metadata.id);
  if (!editable(board) || (before && !editable(before))) throw forbidden(MESSAGES.updateSchedule[403]);
  const recipients = input.recipient_details ? recipientsOf(ctx, input.recipient_details) : null;
  const others =
    recipients?.others ??
    (current.recipient_details.emails.some((e) => e.toLowerCase() !== principal.user.email.toLowerCase()) ||
      current.recipient_details.principals.some((p) => p.type !== "USER" || p.identifier !== principal.user.id));
  if (others && !holds(principal.user, SCHEDULE_FOR_OTHERS)) throw forbidden(MESSAGES.updateSchedule[403]);
  const frequency = input.frequency ?? current.frequency;
  const timeZone = input.time_zone ?? current.time_zone;
  if (input.frequency || input.time_zone) checkFrequency(ctx, frequency, timeZone);
  const boardChanged = board.id !== current.metadata.id;
  const vizIds = input.liveboard_options
    ? visualizationsOf(board, input.liveboard_options.visualization_identifiers)
    : boardChanged
      ? null
      : (current.liveboard_options?.visualization_identifiers ?? null);
  const viewId =
    input.personalised_view_id !== undefined
      ? viewOf(board, input.personalised_view_id)
      : boardChanged
        ? null
        : current.personalised_view_id;
  const status = input.status === undefined ? current.status : input.status === "ACTIVE" ? "ACTIVE" : "PAUSED";
  await deps.store.mutate(ns, (tx) => {
    const s = findSchedule(tx, principal.org.id, current.id);
    if (!s) throw badRequest(NOT_FOUND);
    checkName(tx, principal.org.id, input.name ?? s.name, s);
    const now = deps.clock.now();
    // Runs count from now when their times change, or the schedule resumes (a pause's runs are not caught up).
    const retimed = input.frequency !== undefined || input.time_zone !== undefined || (status === "ACTIVE" && s.status !== "ACTIVE");
    const next: ScheduleRecord = {
      ...s,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      metadata: { id: board.id, name: board.name, type: "LIVEBOARD" },
      ...(input.file_format !== undefined && { file_format: input.file_format }),
      liveboard_options: vizIds ? { visualization_identifiers: vizIds } : null,
      ...(input.pdf_options !== undefined && { pdf_options: pdfOptions(input.pdf_options) }),
      time_zone: timeZone,
      frequency,
      ...(recipients && { recipient_details: recipients.recipients }),
      status,
      personalised_view_id: viewId,
      modification_time_in_millis: now,
      runs_from: retimed ? now : s.runs_from,
    };
    tx.putSchedule(next);
  });
  armSchedules(ctx);
}

/** POST /schedules/{schedule_identifier}/delete: with edit access to its Liveboard, ADMINISTRATION or JOBSCHEDULING. */
export async function deleteSchedule(ctx: AuthedContext, identifier: string): Promise<void> {
  const { ns, deps, principal } = ctx;
  if (identifier.length > LIMITS.identifier) {
    throw badRequest(`Field 'schedule_identifier' can be at most ${LIMITS.identifier} characters long.`);
  }
  const s = findSchedule(ns, principal.org.id, identifier);
  if (!s) throw badRequest(NOT_FOUND);
  const board = findLiveboard(ns, principal.org.id, s.metadata.id);
  const editable = board !== undefined && liveboardAccess(principal.user, board) === "MODIFY";
  if (!editable && !holds(principal.user, SCHEDULE_FOR_OTHERS)) throw forbidden(MESSAGES.deleteSchedule[403]);
  await deps.store.mutate(ns, (tx) => {
    if (!findSchedule(tx, principal.org.id, s.id)) throw badRequest(NOT_FOUND);
    tx.deleteSchedules([s.id]);
  });
  armSchedules(ctx);
}

type SortKey = (s: ScheduleRecord) => number | string;
const SORT_KEYS: Record<"NAME" | "CREATED" | "MODIFIED", SortKey> = {
  NAME: (s) => s.name.toLowerCase(),
  CREATED: (s) => s.creation_time_in_millis,
  MODIFIED: (s) => s.modification_time_in_millis,
};

/**
 * POST /schedules/search: the schedules of the caller's org on Liveboards the caller may see,
 * filtered by Liveboard and identifier before paging (so paging is exact), sorted (CREATED DESC by
 * default), with each schedule's newest runs when asked.
 */
export function searchSchedules(ctx: AuthedContext, input: SearchSchedulesRequest) {
  const { ns, principal } = ctx;
  const offset = input.record_offset ?? 0;
  const size = input.record_size ?? -1;
  if (offset < 0) throw badRequest("record_offset must be zero or a positive integer.");
  if (size === 0 || size < -1) throw badRequest("record_size must be -1 (every schedule) or a positive integer.");
  const runs = input.history_runs_options;
  const runSize = runs?.record_size ?? 10;
  const runOffset = runs?.record_offset ?? 0;
  if (runSize < 1 || runOffset < 0) {
    throw badRequest("history_runs_options.record_size must be positive and history_runs_options.record_offset zero or positive.");
  }
  const boards = new Map(
    ns.state.liveboards
      .filter((b) => b.org === principal.org.id && liveboardAccess(principal.user, b) !== null)
      .map((b) => [b.id, b] as const),
  );
  let list = ns.state.schedules.filter((s) => s.org.id === principal.org.id && boards.has(s.metadata.id));
  if (input.metadata?.length) {
    const wanted = new Set(input.metadata.map((m) => liveboardFor(ctx, m.identifier).id));
    list = list.filter((s) => wanted.has(s.metadata.id));
  }
  const idents = input.schedule_identifiers;
  if (idents?.length) list = list.filter((s) => idents.includes(s.id) || idents.includes(s.name));
  const key = SORT_KEYS[input.sort_options?.field_name ?? "CREATED"];
  const dir = (input.sort_options?.order ?? "DESC") === "ASC" ? 1 : -1;
  const sorted = list
    .map((s, i) => ({ s, k: key(s), i }))
    .sort((a, b) => (a.k < b.k ? -dir : a.k > b.k ? dir : (a.i - b.i) * dir))
    .map((e) => e.s);
  const page = size === -1 ? sorted.slice(offset) : sorted.slice(offset, offset + size);
  return page.map((s) => scheduleView(s, runs?.include_history_runs ? runsOf(ns, s).slice(runOffset, runOffset + runSize) : null));
}

/**
 * The schedule an admin route names, in the whole namespace: by id, else by name; `org` (id or
 * name) narrows it to one org, which a name held by schedules of several orgs needs.
 */
export function adminSchedule(ns: Pick<Namespace, "state" | "name">, identifier: string, orgIdent?: string): ScheduleRecord {
  const org = orgIdent === undefined ? undefined : findOrg(ns, orgIdent);
  if (orgIdent !== undefined && !org) throw badRequest(`Org '${orgIdent}' does not exist in namespace '${ns.name}'.`);
  const list = org ? ns.state.schedules.filter((s) => s.org.id === org.id) : ns.state.schedules;
  const byId = list.find((s) => s.id === identifier);
  if (byId) return byId;
  const named = list.filter((s) => s.name === identifier);
  if (named.length === 1) return named[0]!;
  const where = org ? `org '${org.name}' of namespace '${ns.name}'` : `namespace '${ns.name}'`;
  if (named.length === 0) throw badRequest(`Schedule '${identifier}' does not exist in ${where} (give its id or its name).`);
  const orgs = named.map((s) => `'${s.org.name}' (${s.org.id})`).join(", ");
  throw badRequest(`Schedule name '${identifier}' is used in several orgs: ${orgs}. Give its id, or the org with ?org=.`);
}

/** POST /_emulator/schedules/:schedule/run: the run, once it is recorded as started, and the channels it goes through. */
export async function runScheduleNow(ctx: RequestContext, identifier: string, org?: string) {
  const s = adminSchedule(ctx.ns, identifier, org);
  const run = await runNow(ctx, s);
  return {
    run_id: run.id,
    schedule: { id: s.id, name: s.name },
    org: s.org,
    liveboard: { id: s.metadata.id, name: s.metadata.name },
    schedule_status: s.status,
    channels: scheduleChannels(ctx.ns, s.org.id).channels,
    run,
  };
}
