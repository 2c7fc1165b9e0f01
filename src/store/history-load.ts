import type { JobStatus } from "../schemas/common.js";
import type { JobRecord } from "../schemas/history.js";
import { DataFileError } from "./files.js";
import type { HistoryIndex } from "./history-index.js";
import { ownCopy } from "./history-lines.js";
import type { HistoryLog } from "./history-log.js";
import type { Scan } from "./line-scan.js";

const STR = String.raw`"([^"\\]*(?:\\.[^"\\]*)*)"`;
/** The head of a line as the emulator writes it; the job's JSON follows `"job":` up to the last `}`. */
const HEAD = new RegExp(
  String.raw`^\{"ns":${STR},"ch":${STR},"org":${STR},"job":\{"id":${STR},"status":"(PENDING|RETRY|SUCCESS|FAILED)",` +
    String.raw`"creation_time_in_millis":(-?\d+(?:\.\d+)?),"event":\{"type":"LIVEBOARD_SCHEDULE","id":${STR},"name":(null|${STR})`,
);
const HEAD_BYTES = 384;
const QUOTE = 0x22;
const STATUSES = ["PENDING", "RETRY", "SUCCESS", "FAILED"];
const JOB_KEY = Buffer.from('"job":');
const CLOSE = 0x7d; // }

/** A field of the decoded head as the JS string it encodes (JSON escapes undone). */
function text(raw: string): string {
  return raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/**
 * Replays the log into the namespaces' indexes: `{ns, clear}` empties a namespace, `{ns, ch, org,
 * job}` adds or updates a job. Lines the emulator wrote are read by their head (ids, status, time,
 * event) and the job's JSON stays in the file, located by offset; any other line is parsed as JSON
 * in full. A line that is neither stops start-up with its number. Jobs created before `cutoff`
 * are skipped (only --compact-expired sets one). Returns the scan (lines, and a cut-off tail).
 */
export function loadHistory(log: HistoryLog, cutoff: number, historyOf: (ns: string) => HistoryIndex): Scan {
  const touched = new Set<HistoryIndex>();
  const of = (ns: string) => {
    const h = historyOf(ns);
    if (!touched.has(h)) {
      touched.add(h);
      h.beginBulk();
    }
    return h;
  };
  const scan = log.scan((buf, start, end, fileOffset, lineNo) => {
    while (end > start && (buf[end - 1] === 0x0d || buf[end - 1] === 0x20)) end--;
    const closed = buf[end - 1] === CLOSE && buf[end - 2] === CLOSE;
    // Most heads fit in HEAD_BYTES; a long event name needs the whole line.
    const m = closed
      ? (HEAD.exec(buf.toString("utf8", start, Math.min(end, start + HEAD_BYTES))) ?? HEAD.exec(buf.toString("utf8", start, end)))
      : null;
    if (m) {
      const t = Number(m[6]);
      if (t < cutoff) return;
      // Positions in the decoded head are byte positions while it is ASCII; checked, else searched.
      let jobAt = start + m[0].indexOf('"job":') + JOB_KEY.length;
      if (buf[jobAt - 1] !== 0x3a || buf[jobAt] !== 0x7b) jobAt = buf.indexOf(JOB_KEY, start) + JOB_KEY.length;
      // The id cut straight from the buffer is a fresh string (a regex group would pin the head).
      const idAt = jobAt + 7; // {"id":"
      const idEnd = buf[idAt + m[4].length] === QUOTE ? idAt + m[4].length : buf.indexOf(QUOTE, idAt);
      const id = m[4].includes("\\") ? ownCopy(text(m[4])) : buf.toString("utf8", idAt, idEnd);
      of(text(m[1])).add(
        id,
        text(m[2]),
        text(m[3]),
        t,
        text(m[7]),
        m[8] === "null" ? null : text(m[9]),
        m[5] as JobStatus,
        fileOffset + (jobAt - start),
        end - 1 - jobAt,
        null,
      );
      return;
    }
    const line = buf.toString("utf8", start, end);
    let v: { ns?: unknown; clear?: unknown; ch?: unknown; org?: unknown; job?: JobRecord["job"] };
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw new DataFileError(log.file, `line ${lineNo} is not valid JSON (${(err as Error).message})`);
    }
    if (typeof v !== "object" || v === null || typeof v.ns !== "string") {
      throw new DataFileError(log.file, `line ${lineNo} has no namespace ("ns")`);
    }
    if (v.clear === true) {
      of(v.ns).clear();
      return;
    }
    const job = v.job;
    if (
      typeof v.ch !== "string" ||
      typeof v.org !== "string" ||
      typeof job?.id !== "string" ||
      typeof job.creation_time_in_millis !== "number" ||
      typeof job.event?.id !== "string" ||
      !STATUSES.includes(job.status)
    ) {
      throw new DataFileError(
        log.file,
        `line ${lineNo} is not a history job ({ns, ch, org, job:{id, status, creation_time_in_millis, event}})`,
      );
    }
    if (job.creation_time_in_millis < cutoff) return;
    of(v.ns).add(
      job.id,
      v.ch,
      v.org,
      job.creation_time_in_millis,
      job.event.id,
      job.event.name ?? null,
      job.status,
      -1,
      0,
      JSON.stringify(job),
    );
  });
  for (const h of touched) h.endBulk();
  return scan;
}

/** Whether a history line is one the loader can use (for --repair). */
export function isHistoryLine(line: string): boolean {
  try {
    const v = JSON.parse(line) as { ns?: unknown; clear?: unknown; ch?: unknown; org?: unknown; job?: JobRecord["job"] };
    if (typeof v !== "object" || v === null || typeof v.ns !== "string") return false;
    if (v.clear === true) return true;
    const job = v.job;
    return (
      typeof v.ch === "string" &&
      typeof v.org === "string" &&
      typeof job?.id === "string" &&
      typeof job.creation_time_in_millis === "number" &&
      typeof job.event?.id === "string" &&
      STATUSES.includes(job.status)
    );
  } catch {
    return false;
  }
}
