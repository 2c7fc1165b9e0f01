import { describe, expect, it } from "vitest";
import { HistoryIndex } from "../../src/store/history-index.js";
import type { JobEntry } from "../../src/store/history-lines.js";

function entry(id: string, t: number, over: Partial<JobEntry> = {}): JobEntry {
  const base = { id, ch: "hook-1", org: "0", t, ev: "sched-1", evName: "Weekly Sales Review", status: "SUCCESS" as const, off: -1, len: 0 };
  const e = { ...base, ...over };
  return { ...e, json: over.json ?? JSON.stringify({ id, t: e.t, status: e.status }) };
}

const ids = (jobs: string[]) => jobs.map((j) => JSON.parse(j).id);
const all = { channel: "hook-1", org: "0", from: -Infinity, to: Infinity };

describe("HistoryIndex", () => {
  it("answers a channel's jobs newest first when they arrive out of order one by one", () => {
    const h = new HistoryIndex();
    [50, 10, 30, 70, 20, 60, 40, 0].forEach((t, k) => h.put(entry(`j${k}`, t)));
    expect(ids(h.search(all))).toEqual(["j3", "j5", "j0", "j6", "j2", "j4", "j1", "j7"]);
  });

  it("sorts a bulk insert once, with the same order as one-by-one inserts", () => {
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    const one = new HistoryIndex();
    times.forEach((t, k) => one.put(entry(`j${k}`, t)));
    const bulk = new HistoryIndex();
    bulk.putMany(times.map((t, k) => entry(`j${k}`, t)));
    expect(bulk.search(all)).toEqual(one.search(all));
    expect(bulk.size).toBe(500);
  });

  it("grows past its first capacity and still finds every job by id", () => {
    const h = new HistoryIndex();
    h.putMany(Array.from({ length: 5000 }, (_, i) => entry(`n.${i}`, i)));
    expect(h.size).toBe(5000);
    expect(h.get("n.4999")?.t).toBe(4999);
    expect(h.get("n.0")?.t).toBe(0);
    expect(h.search(all)).toHaveLength(5000);
  });

  it("updates a known job in place: new status and JSON, same place in time", () => {
    const h = new HistoryIndex();
    h.put(entry("a", 10, { status: "PENDING" }));
    h.put(entry("b", 20));
    h.put(entry("a", 10, { status: "SUCCESS", json: JSON.stringify({ id: "a", try_count: 2 }) }));
    expect(h.size).toBe(2);
    expect(h.get("a")?.status).toBe("SUCCESS");
    expect(ids(h.search(all))).toEqual(["b", "a"]);
    expect(JSON.parse(h.jsonFor(h.get("a")!)).try_count).toBe(2);
  });

  it("filters by event id or name, org, status and a half-open time window", () => {
    const h = new HistoryIndex();
    h.put(entry("a", 10));
    h.put(entry("b", 20, { ev: "sched-2", evName: "Daily Pipeline" }));
    h.put(entry("c", 30, { org: "1532970882" }));
    h.put(entry("d", 40, { status: "FAILED" }));
    expect(ids(h.search({ ...all, event: "sched-2" }))).toEqual(["b"]);
    expect(ids(h.search({ ...all, event: "Weekly Sales Review" }))).toEqual(["d", "a"]);
    expect(ids(h.search({ ...all, org: "1532970882" }))).toEqual(["c"]);
    expect(ids(h.search({ ...all, status: "FAILED" }))).toEqual(["d"]);
    expect(ids(h.search({ ...all, from: 20, to: 40 }))).toEqual(["b"]);
    expect(h.search({ ...all, channel: "other" })).toEqual([]);
  });

  it("reads jobs kept in the log through its reader, and serves repeats from its cache", () => {
    const h = new HistoryIndex();
    let reads = 0;
    h.reader = (off, len) => {
      reads++;
      return JSON.stringify({ id: `at-${off}`, len });
    };
    h.add("x", "hook-1", "0", 5, "sched-1", null, "SUCCESS", 100, 42, null);
    expect(JSON.parse(h.search(all)[0]!)).toEqual({ id: "at-100", len: 42 });
    h.search(all);
    expect(reads).toBe(1);
  });

  it("forgets every job on clear", () => {
    const h = new HistoryIndex();
    h.putMany(Array.from({ length: 100 }, (_, i) => entry(`n.${i}`, i)));
    h.clear();
    expect(h.size).toBe(0);
    expect(h.get("n.1")).toBeUndefined();
    expect(h.search(all)).toEqual([]);
    h.put(entry("again", 1));
    expect(ids(h.search(all))).toEqual(["again"]);
  });

  it("merges a bulk of older jobs into a channel that already has newer ones, in time order", () => {
    const h = new HistoryIndex();
    h.put(entry("newest", 10_000));
    h.putMany(Array.from({ length: 300 }, (_, i) => entry(`a${i}`, i * 2)));
    h.putMany(Array.from({ length: 300 }, (_, i) => entry(`b${i}`, i * 2 + 1)));
    const times = h.search(all).map((j) => JSON.parse(j).t);
    expect(times).toHaveLength(601);
    expect(times[0]).toBe(10_000);
    expect(times.slice(1)).toEqual(Array.from({ length: 600 }, (_, i) => 599 - i));
  });

  it("finds the newest `limit` matches only, across event id and name lists", () => {
    const h = new HistoryIndex();
    h.putMany(Array.from({ length: 200 }, (_, i) => entry(`j${i}`, i, i % 2 ? { ev: "Weekly Sales Review", evName: null } : {})));
    const newest = h.find({ ...all, event: "Weekly Sales Review" }, 5).map((i) => JSON.parse(h.jsonOf(i)).id);
    expect(newest).toEqual(["j199", "j198", "j197", "j196", "j195"]);
    expect(h.find({ ...all, to: 100 }, 3).map((i) => JSON.parse(h.jsonOf(i)).id)).toEqual(["j99", "j98", "j97"]);
  });

  it("keeps job ids of any characters, across many pages of ids", () => {
    const h = new HistoryIndex();
    const odd = ["n.jöb-ü1", "n.📈-report", "", "n.\u0000nul", "x".repeat(5000)];
    const many = Array.from({ length: 60_000 }, (_, i) => `n.${i.toString(16).padStart(8, "0")}-a4d4-4712-91bf-39b353db2b72`);
    h.putMany([...odd, ...many].map((id, i) => entry(id, i)));
    for (const id of [...odd, many[0]!, many[29_999]!, many.at(-1)!]) expect(h.get(id)?.id).toBe(id);
    expect(h.get("n.📈-repor")).toBeUndefined();
    expect(h.all().map((e) => e.id)).toEqual([...odd, ...many]);
  });
});
