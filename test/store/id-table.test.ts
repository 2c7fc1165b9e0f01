import { describe, expect, it } from "vitest";
import { hash, IdTable } from "../../src/store/id-table.js";

/** A table over a plain list of ids, as HistoryIndex uses it (job number → id). */
function table() {
  const ids: string[] = [];
  const t = new IdTable((n) => ids[n]!);
  const add = (id: string) => {
    const known = t.getOrAdd(id, ids.length);
    if (known === undefined) ids.push(id);
    return known;
  };
  return { t, ids, add };
}

/** Two different strings with the same 32-bit hash, found by a birthday search. */
function collidingPair(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const s = `job-${i}`;
    const h = hash(s);
    const other = seen.get(h);
    if (other !== undefined) return [other, s];
    seen.set(h, s);
  }
}

describe("IdTable", () => {
  it("answers the job number of every id it was given and undefined for others", () => {
    const { t, add } = table();
    for (let i = 0; i < 100; i++) expect(add(`n.${i}`)).toBeUndefined();
    for (let i = 0; i < 100; i++) expect(t.get(`n.${i}`)).toBe(i);
    expect(t.get("n.100")).toBeUndefined();
    expect(t.size).toBe(100);
  });

  it("returns the existing number when an id is added again, without growing", () => {
    const { t, add } = table();
    add("a");
    add("b");
    expect(add("a")).toBe(0);
    expect(t.size).toBe(2);
  });

  it("keeps ids with the same hash apart", () => {
    const [x, y] = collidingPair();
    expect(x).not.toBe(y);
    expect(hash(x)).toBe(hash(y));
    const { t, add } = table();
    add(x);
    expect(t.get(y)).toBeUndefined();
    add(y);
    expect(t.get(x)).toBe(0);
    expect(t.get(y)).toBe(1);
  });

  it("finds every id after growing many times past its first capacity", () => {
    const { t, add } = table();
    const n = 50_000; // the table starts with 1,024 slots and doubles at half full
    for (let i = 0; i < n; i++) add(`n.${i.toString(36)}`);
    expect(t.size).toBe(n);
    for (let i = 0; i < n; i += 7) expect(t.get(`n.${i.toString(36)}`)).toBe(i);
    expect(t.get("n.missing")).toBeUndefined();
  });

  it("forgets everything on clear and takes new ids from zero", () => {
    const { t, ids, add } = table();
    for (let i = 0; i < 2000; i++) add(`x${i}`);
    t.clear();
    ids.length = 0;
    expect(t.size).toBe(0);
    expect(t.get("x1")).toBeUndefined();
    add("fresh");
    expect(t.get("fresh")).toBe(0);
  });

  it("finds every id, old and new, at every add while it is growing", () => {
    const { t, add } = table();
    // Growth from 1,024 to 2,048 slots starts at the 512th id; the old slots move over 8 per add.
    for (let i = 0; i < 700; i++) {
      expect(add(`id-${i}`)).toBeUndefined();
      for (let k = 0; k <= i; k += 1 + (i >> 4)) expect(t.get(`id-${k}`)).toBe(k);
      expect(t.get(`id-${i}`)).toBe(i);
      expect(add(`id-${i >> 1}`)).toBe(i >> 1);
    }
    expect(t.size).toBe(700);
  });
});
