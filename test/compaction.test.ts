import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadFixtures } from "../src/fixtures.js";
import { openStore } from "../src/store/index.js";
import { frozenClock, tempDirs } from "./support/index.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 30, 12);

function jobLine(ns: string, i: number, t: number, status = "SUCCESS", name: string | null = "Weekly Sales Review") {
  const job = {
    id: `n.job-${i}`,
    status,
    creation_time_in_millis: t,
    event: { type: "LIVEBOARD_SCHEDULE", id: "sched-1", name, run_id: `run-${i}` },
    recipients: null,
    detail: "",
    try_count: 1,
  };
  return JSON.stringify({ ns, ch: "chan-1", org: "0", job });
}

const dirs = tempDirs("compact-");
afterAll(() => dirs.removeAll());

async function open(dir: string, compactExpired = false) {
  return openStore({ dataDir: dir, fixtures: loadFixtures(), clock: frozenClock(NOW), retentionMs: 3 * DAY, compactExpired });
}

describe("history log compaction", () => {
  it("with --compact-expired rewrites a log that is mostly expired jobs, keeping every live job readable", async () => {
    const dir = dirs.make();
    const lines = [];
    for (let i = 0; i < 20_000; i++) lines.push(jobLine("default", i, NOW - 10 * DAY + i));
    for (let i = 20_000; i < 20_050; i++) lines.push(jobLine("default", i, NOW - DAY + i));
    lines.push(jobLine("default", 20_001, NOW - DAY + 20_001, "FAILED")); // an update: last line wins
    writeFileSync(join(dir, "history.jsonl"), `${lines.join("\n")}\n`);
    const before = statSync(join(dir, "history.jsonl")).size;

    const store = await open(dir, true);
    const h = store.namespace("default").history;
    expect(h.size).toBe(50);
    await store.flush(); // the background compaction runs in the single writer
    const after = readFileSync(join(dir, "history.jsonl"), "utf8").trim().split("\n");
    expect(after).toHaveLength(50);
    expect(statSync(join(dir, "history.jsonl")).size).toBeLessThan(before / 100);
    // relocated jobs are read from the new file at their new offsets
    const found = h.search({ channel: "chan-1", event: "Weekly Sales Review", org: "0", from: 0, to: Infinity }).map((j) => JSON.parse(j));
    expect(found).toHaveLength(50);
    expect(found[0].id).toBe("n.job-20049");
    expect(found.find((j) => j.id === "n.job-20001").status).toBe("FAILED");
    await store.close();

    const reopened = await open(dir);
    expect(reopened.namespace("default").history.size).toBe(50);
    expect(
      JSON.parse(reopened.namespace("default").history.jsonFor(reopened.namespace("default").history.get("n.job-20010")!)).event.run_id,
    ).toBe("run-20010");
    await reopened.close();
  });

  it("without --compact-expired keeps every expired job through a start (a retention or clock flag never destroys data)", async () => {
    const dir = dirs.make();
    const lines = [];
    for (let i = 0; i < 20_000; i++) lines.push(jobLine("default", i, NOW - 10 * DAY + i));
    writeFileSync(join(dir, "history.jsonl"), `${lines.join("\n")}\n`);
    const text = readFileSync(join(dir, "history.jsonl"), "utf8");
    const store = await open(dir);
    await store.flush();
    expect(store.namespace("default").history.size).toBe(20_000);
    await store.close();
    expect(readFileSync(join(dir, "history.jsonl"), "utf8")).toBe(text);
  });

  it("leaves a log that is mostly live untouched", async () => {
    const dir = dirs.make();
    const lines = [];
    for (let i = 0; i < 12_000; i++) lines.push(jobLine("default", i, NOW - DAY + i, "SUCCESS", null));
    writeFileSync(join(dir, "history.jsonl"), `${lines.join("\n")}\n`);
    const text = readFileSync(join(dir, "history.jsonl"), "utf8");
    const store = await open(dir);
    await store.flush();
    expect(readFileSync(join(dir, "history.jsonl"), "utf8").startsWith(text)).toBe(true);
    expect(
      store.namespace("default").history.search({ channel: "chan-1", event: "sched-1", org: "0", from: 0, to: Infinity }),
    ).toHaveLength(12_000);
    await store.close();
  });

  it("reads hand-written lines with other key orders and unicode names", async () => {
    const dir = dirs.make();
    const job = {
      status: "SUCCESS",
      id: "n.hand",
      creation_time_in_millis: NOW - 1000,
      event: { type: "LIVEBOARD_SCHEDULE", id: "s-é", name: 'Résumé "Q1" 📈', run_id: null },
      recipients: null,
      detail: "",
      try_count: 1,
    };
    const fast = JSON.parse(jobLine("default", 7, NOW - 500, "SUCCESS", "Über Report ✓"));
    writeFileSync(
      join(dir, "history.jsonl"),
      `${JSON.stringify({ job, org: "0", ch: "chan-1", ns: "default" })}\n${JSON.stringify(fast)}\n`,
    );
    const store = await open(dir);
    const h = store.namespace("default").history;
    expect(h.search({ channel: "chan-1", event: 'Résumé "Q1" 📈', org: "0", from: 0, to: Infinity }).map((j) => JSON.parse(j))).toEqual([
      job,
    ]);
    expect(h.search({ channel: "chan-1", event: "Über Report ✓", org: "0", from: 0, to: Infinity }).map((j) => JSON.parse(j).id)).toEqual([
      "n.job-7",
    ]);
    await store.close();
  });
});

describe("history load with non-ASCII keys", () => {
  it("finds jobs whose channel and id hold non-ASCII characters, and serves their exact JSON", async () => {
    const dir = dirs.make();
    const job = {
      id: "n.jöb-ü1",
      status: "SUCCESS",
      creation_time_in_millis: NOW - 1000,
      event: { type: "LIVEBOARD_SCHEDULE", id: "sched-ß", name: "Bericht Ü", run_id: "r1" },
      recipients: null,
      detail: "",
      try_count: 1,
    };
    writeFileSync(
      join(dir, "history.jsonl"),
      `${JSON.stringify({ ns: "default", ch: "canal-ñ", org: "0", job })}\n${jobLine("default", 1, NOW - 500)}\n`,
    );
    const store = await open(dir);
    const h = store.namespace("default").history;
    expect(JSON.parse(h.jsonFor(h.get("n.jöb-ü1")!))).toEqual(job);
    expect(h.search({ channel: "canal-ñ", event: "Bericht Ü", org: "0", from: 0, to: Infinity }).map((j) => JSON.parse(j))).toEqual([job]);
    expect(JSON.parse(h.jsonFor(h.get("n.job-1")!)).event.run_id).toBe("run-1");
    await store.close();
  });
});

describe("history index ordering", () => {
  it("keeps jobs newest first when they arrive out of order one by one", async () => {
    const { HistoryIndex } = await import("../src/store/history-index.js");
    const h = new HistoryIndex();
    const times = [50, 10, 30, 30, 70, 20, 60, 40, 0];
    times.forEach((t, k) =>
      h.put({
        id: `j${k}`,
        ch: "c",
        org: "0",
        t,
        ev: "e",
        evName: null,
        status: "SUCCESS",
        json: JSON.stringify({ id: `j${k}`, t }),
        off: -1,
        len: 0,
      }),
    );
    const found = h.search({ channel: "c", org: "0", from: -Infinity, to: Infinity }).map((j) => JSON.parse(j));
    expect(found.map((j) => j.t)).toEqual([70, 60, 50, 40, 30, 30, 20, 10, 0]);
    // equal times: the later arrival first (newest first)
    expect(found.filter((j) => j.t === 30).map((j) => j.id)).toEqual(["j3", "j2"]);
  });
});
