import type { Preferences } from "../schemas/preferences.js";
import type { NamespaceState, TokenRecord, UserRecord } from "../schemas/records.js";
import type { ScheduleRecord, ScheduleRun } from "../schemas/schedules.js";
import type { WebhookRecord } from "../schemas/webhooks.js";
import type { NamespaceRecords } from "./records.js";

/**
 * A change to one namespace's records, as it is logged (one JSON line each) and replayed. Every op
 * is idempotent (applying it twice gives what applying it once gives), which is what lets a
 * snapshot be written while changes go on: start-up replays every op logged since it began.
 * Records are never changed in place: an op puts a new record.
 */
export type Op =
  /** The namespace's records when it was first changed (or first changed after a reset). */
  | { ns: string; op: "init"; gen: number; state: NamespaceState }
  /** A reset: the namespace is gone; its next use seeds it again with the next generation. */
  | { ns: string; op: "drop"; gen: number }
  /** The namespace's random streams were restarted (a new run): later ids come from generation `gen`. */
  | { ns: string; op: "gen"; gen: number }
  | { ns: string; op: "put"; coll: "webhooks"; value: WebhookRecord }
  | { ns: string; op: "put"; coll: "users"; value: UserRecord }
  | { ns: string; op: "put"; coll: "tokens"; value: TokenRecord }
  | { ns: string; op: "put"; coll: "storage_identity"; key: string; value: { aws_account_id: string; external_id: string } }
  | { ns: string; op: "put"; coll: "schedules"; value: ScheduleRecord }
  /** A run of a schedule (new, or its end): kept with the schedule's newest runs. */
  | { ns: string; op: "put"; coll: "schedule_runs"; key: string; value: ScheduleRun }
  | { ns: string; op: "del"; coll: "webhooks" | "users" | "schedules"; keys: string[] }
  | { ns: string; op: "set"; field: "preferences"; value: Preferences };

export type RecordOp = Exclude<Op, { op: "init" | "drop" | "gen" }>;

function putById<T extends { id: string }>(list: T[], value: T): void {
  const at = list.findIndex((x) => x.id === value.id);
  if (at === -1) list.push(value);
  else list[at] = value;
}

/** Runs kept per schedule: what search's `history_runs` can page through. */
export const MAX_RUNS = 100;

/** The schedule's runs with `run` put in (by id), oldest first, the newest MAX_RUNS. */
function withRun(runs: ScheduleRun[] | undefined, run: ScheduleRun): ScheduleRun[] {
  const next = (runs ?? []).filter((r) => r.id !== run.id);
  let at = next.length;
  while (at > 0 && next[at - 1]!.scheduled_time_in_millis > run.scheduled_time_in_millis) at--;
  next.splice(at, 0, run);
  if (next.length <= MAX_RUNS) return next;
  // The oldest go, but never the newest regular run: the scheduler counts the next runs from it (run-now runs do not count).
  let keep = next.length - 1;
  while (keep >= 0 && next[keep]!.run_now) keep--;
  let drop = next.length - MAX_RUNS;
  return next.filter((_, i) => i === keep || drop-- <= 0);
}

/** Applies a record op to a namespace's in-memory records. */
export function applyOp(r: NamespaceRecords, op: RecordOp): void {
  switch (op.op) {
    case "put":
      if (op.coll === "tokens") r.tokens.set(op.value.token, op.value);
      else if (op.coll === "storage_identity") r.storage_identity[op.key] = op.value;
      else if (op.coll === "webhooks") putById(r.webhooks, op.value);
      else if (op.coll === "schedules") putById(r.schedules, op.value);
      else if (op.coll === "schedule_runs") r.schedule_runs[op.key] = withRun(r.schedule_runs[op.key], op.value);
      else putById(r.users, op.value);
      return;
    case "del": {
      const drop = new Set(op.keys);
      if (op.coll === "webhooks") r.webhooks = r.webhooks.filter((w) => !drop.has(w.id));
      else if (op.coll === "schedules") {
        r.schedules = r.schedules.filter((s) => !drop.has(s.id));
        for (const id of drop) delete r.schedule_runs[id];
      } else r.users = r.users.filter((u) => !drop.has(u.id));
      return;
    }
    case "set":
      r.preferences = op.value;
      return;
  }
}
