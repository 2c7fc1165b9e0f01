import { describe, expect, it } from "vitest";
import { CronError, type CronFields, isTimeZone, nextRun, parseCron, runTimes } from "../src/cron.js";

const cron = (over: Partial<CronFields>) =>
  parseCron({ second: "0", minute: "0", hour: "*", day_of_month: "*", month: "*", day_of_week: "*", ...over });
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const all = (c: ReturnType<typeof cron>, zone: string, from: string, to: string) =>
  [...runTimes(c, zone, Date.parse(from), Date.parse(to))].map(iso);

describe("the cron subset", () => {
  it("reads numbers, zero-padded numbers, names, ranges, steps and lists", () => {
    const c = cron({ minute: "*/15", hour: "08-10,17", day_of_week: "MON-FRI", month: "1/3" });
    expect(c.allowed.minute.flatMap((on, v) => (on ? [v] : []))).toEqual([0, 15, 30, 45]);
    expect(c.allowed.hour.flatMap((on, v) => (on ? [v] : []))).toEqual([8, 9, 10, 17]);
    expect(c.allowed.day_of_week.flatMap((on, v) => (on ? [v] : []))).toEqual([2, 3, 4, 5, 6]);
    expect(c.allowed.month.flatMap((on, v) => (on ? [v] : []))).toEqual([1, 4, 7, 10]);
    expect(cron({ day_of_week: "?" }).any.day_of_week).toBe(true);
  });

  it.each([
    [{ day_of_month: "L" }, "day_of_month", "'L' is not supported"],
    [{ day_of_week: "6#3" }, "day_of_week", "is not supported"],
    [{ day_of_week: "0" }, "day_of_week", "1 = Sunday to 7 = Saturday"],
    [{ second: "60" }, "second", "60 is outside 0-59"],
    [{ hour: "17-8" }, "hour", "runs backwards"],
    [{ minute: "" }, "minute", "is empty"],
    [{ minute: "*/0" }, "minute", "at least 1"],
    [{ month: "FOO" }, "month", "or a name"],
    [{ hour: "?" }, "hour", "is not a value"],
  ] as const)("refuses %j, naming %s", (over, field, text) => {
    let err: unknown;
    try {
      cron(over);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CronError);
    expect((err as CronError).field).toBe(field);
    expect((err as CronError).message).toContain(text);
  });
});

describe("run times", () => {
  it("fire at the wall-clock time of the schedule's time zone", () => {
    const daily8 = cron({ hour: "8" });
    expect(iso(nextRun(daily8, "America/Los_Angeles", Date.parse("2026-02-26T09:00:00Z")))).toBe("2026-02-26T16:00:00.000Z");
    expect(iso(nextRun(daily8, "Etc/UTC", Date.parse("2026-02-26T09:00:00Z")))).toBe("2026-02-27T08:00:00.000Z");
    // Java's short ids, which the spec lists, are zones too
    expect(iso(nextRun(daily8, "IST", Date.parse("2026-02-26T00:00:00Z")))).toBe("2026-02-26T02:30:00.000Z");
    expect(isTimeZone("SystemV/PST8PDT")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
  });

  it("are strictly after the given instant", () => {
    const c = cron({ minute: "*/5", hour: "*" });
    expect(iso(nextRun(c, "UTC", Date.parse("2026-02-26T09:05:00Z")))).toBe("2026-02-26T09:10:00.000Z");
    expect(iso(nextRun(c, "UTC", Date.parse("2026-02-26T09:04:59.999Z")))).toBe("2026-02-26T09:05:00.000Z");
  });

  it("count days of the week Quartz's way (1 = Sunday) and run on either day field when both are restricted", () => {
    const monday = cron({ hour: "9", day_of_week: "2" });
    expect(iso(nextRun(monday, "UTC", Date.parse("2026-02-26T00:00:00Z")))).toBe("2026-03-02T09:00:00.000Z"); // a Monday
    const either = cron({ hour: "9", day_of_month: "1", day_of_week: "SAT" });
    expect(all(either, "UTC", "2026-02-26T00:00:00Z", "2026-03-08T00:00:00Z")).toEqual([
      "2026-02-28T09:00:00.000Z",
      "2026-03-01T09:00:00.000Z",
      "2026-03-07T09:00:00.000Z",
    ]);
  });

  it("run a time skipped when DST starts once, at the end of the gap", () => {
    const at0230 = cron({ minute: "30", hour: "2" });
    expect(all(at0230, "America/Los_Angeles", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z")).toEqual([
      "2026-03-07T10:30:00.000Z", // 02:30 PST
      "2026-03-08T10:00:00.000Z", // 02:30 does not exist: 03:00 PDT
      "2026-03-09T09:30:00.000Z", // 02:30 PDT
    ]);
  });

  it("run a time repeated when DST ends the first time only", () => {
    const quarter = cron({ minute: "*/30", hour: "0-2" });
    expect(all(quarter, "America/Los_Angeles", "2026-11-01T06:00:00Z", "2026-11-01T11:00:00Z")).toEqual([
      "2026-11-01T07:00:00.000Z", // 00:00 PDT
      "2026-11-01T07:30:00.000Z",
      "2026-11-01T08:00:00.000Z", // 01:00 PDT
      "2026-11-01T08:30:00.000Z", // 01:30 PDT (01:00 and 01:30 PST do not run again)
      "2026-11-01T10:00:00.000Z", // 02:00 PST
      "2026-11-01T10:30:00.000Z",
    ]);
  });

  it("find a February 29th years ahead and nothing for a date that never comes", () => {
    const leap = cron({ hour: "0", day_of_month: "29", month: "2" });
    expect(iso(nextRun(leap, "UTC", Date.parse("2026-02-26T00:00:00Z")))).toBe("2028-02-29T00:00:00.000Z");
    expect(nextRun(cron({ hour: "0", day_of_month: "30", month: "FEB" }), "UTC", Date.parse("2026-02-26T00:00:00Z"))).toBeNull();
  });

  it("list a week of a five-minute schedule across DST changes without repeats", () => {
    const every5 = cron({ minute: "*/5" });
    const week = (from: string, to: string) => [...runTimes(every5, "Europe/Berlin", Date.parse(from), Date.parse(to))];
    const gaps = (times: number[]) => times.slice(1).map((t, k) => (t - times[k]!) / 60_000);
    // DST starts: the skipped local hour costs no instant (03:00 CEST follows 01:55 CET five minutes later)
    const spring = week("2026-03-23T00:00:00Z", "2026-03-30T00:00:00Z");
    expect(spring).toHaveLength(7 * 288);
    expect(new Set(gaps(spring))).toEqual(new Set([5]));
    // DST ends: the repeated local hour runs once, so one wait is an hour longer
    const autumn = week("2026-10-19T00:00:00Z", "2026-10-26T00:00:00Z");
    expect(autumn).toHaveLength(7 * 288 - 12);
    expect(gaps(autumn).filter((g) => g !== 5)).toEqual([65]);
  });
});
