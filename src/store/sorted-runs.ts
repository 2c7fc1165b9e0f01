/**
 * Pages over several time-sorted runs of job numbers at once (one run per channel, or per event of a
 * channel): each run is ordered by (time, job number), and so is the merged order. Skipping to any
 * offset costs a bisection over the time values, not a walk over the jobs skipped, so the last page
 * of a million jobs costs what the first one does (docs/architecture.md, "Performance tricks").
 */

/** Creation times by job number (the history index's off-heap column). */
export interface Times {
  get(i: number): number;
}

/** First position in `run` whose time is ≥ `at` (> `at` when `after`). */
function bound(t: Times, run: Int32Array, at: number, after: boolean): number {
  let lo = 0;
  let hi = run.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = t.get(run[mid]);
    if (v < at || (after && v === at)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where the `n` oldest jobs of all runs end: a position per run, the jobs before them being
 * exactly the n oldest (equal times ordered by job number, as within a run).
 */
export function splitOldest(t: Times, runs: readonly Int32Array[], n: number): number[] {
  let total = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of runs) {
    total += r.length;
    if (r.length === 0) continue;
    lo = Math.min(lo, t.get(r[0]));
    hi = Math.max(hi, t.get(r[r.length - 1]));
  }
  if (n <= 0) return runs.map(() => 0);
  if (n >= total) return runs.map((r) => r.length);
  const atMost = (at: number) => runs.reduce((sum, r) => sum + bound(t, r, at, true), 0);
  // The time of the n-th oldest job: the smallest time with at least n jobs at or before it,
  // bisected over the doubles between the oldest and the newest time (at most ~64 steps).
  let time = lo;
  if (atMost(lo) < n) {
    let below = lo;
    let above = hi;
    for (;;) {
      const mid = below + (above - below) / 2;
      if (mid <= below || mid >= above) break;
      if (atMost(mid) >= n) above = mid;
      else below = mid;
    }
    time = above;
  }
  // Every job older than that time, then the jobs at it with the lowest numbers.
  const cut = runs.map((r) => bound(t, r, time, false));
  let left = n - cut.reduce((a, b) => a + b, 0);
  if (left > 0) {
    const ties: [job: number, run: number][] = [];
    runs.forEach((r, k) => {
      for (let p = cut[k]!; p < r.length && t.get(r[p]) === time; p++) ties.push([r[p], k]);
    });
    ties.sort((x, y) => x[0] - y[0]);
    for (const [, k] of ties) {
      if (left-- === 0) break;
      cut[k]!++;
    }
  }
  return cut;
}

/** Up to `take` job numbers, newest first, from just before `cut` (see splitOldest) backwards through every run. */
export function newestBefore(t: Times, runs: readonly Int32Array[], cut: readonly number[], take: number): number[] {
  const out: number[] = [];
  const pos = cut.map((p) => p - 1);
  const head = (k: number) => runs[k][pos[k]];
  // a comes out before b: newer, or as new with a higher job number.
  const before = (a: number, b: number) => {
    const x = head(a);
    const y = head(b);
    return t.get(x) > t.get(y) || (t.get(x) === t.get(y) && x > y);
  };
  const heap: number[] = [];
  const down = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      if (l >= heap.length) return;
      const c = l + 1 < heap.length && before(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!before(heap[c], heap[at])) return;
      [heap[c], heap[at]] = [heap[at], heap[c]];
      at = c;
    }
  };
  for (let k = 0; k < runs.length; k++) if (pos[k] >= 0) heap.push(k);
  for (let at = (heap.length >> 1) - 1; at >= 0; at--) down(at);
  while (heap.length && out.length < take) {
    const k = heap[0];
    out.push(head(k));
    if (--pos[k] < 0) {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    down(0);
  }
  return out;
}
