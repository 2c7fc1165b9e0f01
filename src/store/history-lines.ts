import type { JobStatus } from "../schemas/common.js";
import type { JobRecord } from "../schemas/history.js";

/**
 * A history job as the rest of the emulator sees it: the fields it is searched by, plus where its
 * wire JSON is — in `json` (serialized once, on write) or, for jobs loaded at start-up, at
 * `off`/`len` bytes in the history log.
 */
export interface JobEntry {
  id: string;
  ch: string;
  org: string;
  t: number;
  ev: string;
  evName: string | null;
  status: JobStatus;
  json: string | null;
  off: number;
  len: number;
}

export function entryOf(rec: JobRecord, json = JSON.stringify(rec.job)): JobEntry {
  const job = rec.job;
  return {
    id: job.id,
    ch: rec.ch,
    org: rec.org,
    t: job.creation_time_in_millis,
    ev: job.event.id,
    evName: job.event.name ?? null,
    status: job.status,
    json,
    off: -1,
    len: 0,
  };
}

/** The log line for a job: `{"ns":…,"ch":…,"org":…,"job":<wire JSON>}` ("job" always last). */
export function lineOf(ns: string, e: Pick<JobEntry, "ch" | "org">, json: string): string {
  return `${linePrefix(ns, e)}${json}}`;
}

export function linePrefix(ns: string, e: Pick<JobEntry, "ch" | "org">): string {
  return `{"ns":${JSON.stringify(ns)},"ch":${JSON.stringify(e.ch)},"org":${JSON.stringify(e.org)},"job":`;
}

/**
 * A copy of `s` that does not keep the string it was cut from alive: a slice (a regex group, a
 * substring of a decoded log line) pins its parent, and one per job would pin them all. V8
 * flattens the concatenation into a new string.
 */
// biome-ignore lint/style/useTemplate: the concatenation is what makes V8 copy the characters
export const ownCopy = (s: string): string => (s + " ").slice(0, -1);
