/**
 * The emulator clock: real time by default; can start elsewhere, be moved and be frozen. Timers
 * wait on it (docs/decisions.md, "The emulator clock"): a timer fires when real time gets there
 * while the clock runs, or as soon as `set`/`advance` moves the clock past it; a frozen clock fires
 * nothing until it is moved. Delivery retries and the schedule runner both wait this way.
 */
export interface Clock {
  now(): number;
  set(epochMs: number): void;
  advance(ms: number): void;
  freeze(frozen: boolean): void;
  readonly frozen: boolean;
  /**
   * Calls `fn` once the clock reads `time` or later (never synchronously: on a later turn of the
   * event loop). `keepAlive` keeps the process alive while the timer waits in real time (default
   * false). Returns a function that cancels the timer; an aborted `signal` cancels it too.
   */
  at(time: number, fn: () => void, opts?: { signal?: AbortSignal; keepAlive?: boolean }): () => void;
  /** Resolves once the clock reads `time`; rejects with an AbortError when `signal` is aborted. */
  sleepUntil(time: number, signal?: AbortSignal): Promise<void>;
  /**
   * Runs `work` as a task the clock knows about: it counts as busy except while it sleeps in the
   * `sleepUntil` it is given. `settled()` waits for busy tasks.
   */
  task<T>(work: (sleepUntil: (time: number, signal?: AbortSignal) => Promise<void>) => Promise<T>): Promise<T>;
  /**
   * Resolves true once no timer is due and no task is busy: everything the clock's time made happen
   * has happened (what is left waits for a later time). False when that takes over `timeoutMs`.
   */
  settled(timeoutMs?: number): Promise<boolean>;
}

interface Timer {
  time: number;
  seq: number;
  fn: () => void;
  keepAlive: boolean;
  done: boolean;
}

/** The longest a Node timer can wait; a later timer is re-armed when this one fires. */
const MAX_DELAY = 2_147_483_647;

const abortError = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : Object.assign(new Error("The operation was aborted"), { name: "AbortError" });

/** A binary min-heap of timers by (time, seq): equal times fire in the order they were set. */
class TimerHeap {
  private readonly a: Timer[] = [];
  private less = (x: Timer, y: Timer) => x.time < y.time || (x.time === y.time && x.seq < y.seq);

  get size(): number {
    return this.a.length;
  }

  push(t: Timer): void {
    const a = this.a;
    a.push(t);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  /** The earliest live timer (cancelled ones are dropped on the way). */
  peek(): Timer | undefined {
    while (this.a.length && this.a[0]!.done) this.pop();
    return this.a[0];
  }

  pop(): Timer | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export function createClock(start?: number, opts: { frozen?: boolean; realNow?: () => number } = {}): Clock {
  const realNow = opts.realNow ?? Date.now;
  let offset = start === undefined ? 0 : start - realNow();
  let frozenAt: number | null = opts.frozen ? (start ?? realNow()) : null;
  const now = () => (frozenAt !== null ? frozenAt : realNow() + offset);

  const heap = new TimerHeap();
  let seq = 0;
  let keepAlive = 0;
  let busy = 0;
  let real: NodeJS.Timeout | null = null;
  let realFor = Number.NaN;
  let realRef = false;
  let pumpQueued = false;
  const waiters = new Set<() => void>();

  const finish = (t: Timer) => {
    if (t.done) return;
    t.done = true;
    if (t.keepAlive) keepAlive--;
  };

  /** One real Node timer, for the earliest clock timer, while the clock runs. */
  const arm = () => {
    const next = heap.peek();
    if (!next || frozenAt !== null) {
      if (real) clearTimeout(real);
      real = null;
      realFor = Number.NaN;
      return;
    }
    const ref = keepAlive > 0;
    if (real && realFor === next.time && realRef === ref) return;
    if (real) clearTimeout(real);
    realFor = next.time;
    realRef = ref;
    real = setTimeout(
      () => {
        real = null;
        realFor = Number.NaN;
        pump();
      },
      Math.min(MAX_DELAY, Math.max(0, next.time - now())),
    );
    if (!ref) real.unref();
  };

  /** Fires every due timer, earliest first (timers they set that are due already fire too). */
  const pump = () => {
    pumpQueued = false;
    for (let t = heap.peek(); t && t.time <= now(); t = heap.peek()) {
      heap.pop();
      finish(t);
      try {
        t.fn();
      } catch {
        // A timer callback that throws must not stop the others.
      }
    }
    arm();
    check();
  };

  const queuePump = () => {
    if (pumpQueued) return;
    pumpQueued = true;
    setImmediate(pump);
  };

  const due = () => {
    const t = heap.peek();
    return t !== undefined && t.time <= now();
  };

  /** Wakes settled() waiters once nothing is due or busy (checked a turn later, so continuations can start new work). */
  let checkQueued = false;
  const check = () => {
    if (checkQueued || waiters.size === 0) return;
    checkQueued = true;
    setImmediate(() => {
      checkQueued = false;
      if (busy > 0 || due() || pumpQueued) return;
      for (const w of [...waiters]) w();
    });
  };

  const moved = () => {
    // The real timer was armed for the old offset; every due timer fires on the next turn.
    if (real) clearTimeout(real);
    real = null;
    realFor = Number.NaN;
    if (due()) queuePump();
    else arm();
  };

  const at: Clock["at"] = (time, fn, o = {}) => {
    const t: Timer = { time, seq: seq++, fn, keepAlive: o.keepAlive ?? false, done: false };
    if (o.signal?.aborted) return () => {};
    if (t.keepAlive) keepAlive++;
    heap.push(t);
    const onAbort = () => {
      finish(t);
      arm();
    };
    o.signal?.addEventListener("abort", onAbort, { once: true });
    if (time <= now()) queuePump();
    else arm();
    return () => {
      o.signal?.removeEventListener("abort", onAbort);
      finish(t);
      arm();
    };
  };

  const sleepUntil = (time: number, signal?: AbortSignal, wake?: () => void) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => {
        cancel();
        reject(abortError(signal!));
      };
      const cancel = at(
        time,
        () => {
          signal?.removeEventListener("abort", onAbort);
          wake?.();
          resolve();
        },
        { keepAlive: true },
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  return {
    now,
    set(epochMs) {
      if (frozenAt !== null) frozenAt = epochMs;
      else offset = epochMs - realNow();
      moved();
    },
    advance(ms) {
      if (frozenAt !== null) frozenAt += ms;
      else offset += ms;
      moved();
    },
    freeze(frozen) {
      if (frozen && frozenAt === null) frozenAt = now();
      if (!frozen && frozenAt !== null) {
        offset = frozenAt - realNow();
        frozenAt = null;
      }
      moved();
    },
    get frozen() {
      return frozenAt !== null;
    },
    at,
    sleepUntil: (time, signal) => sleepUntil(time, signal),
    async task(work) {
      busy++;
      let asleep = false;
      const rest = async (time: number, signal?: AbortSignal) => {
        busy--;
        asleep = true;
        if (busy === 0) check();
        try {
          await sleepUntil(time, signal, () => {
            // Busy again before the sleeper's continuation runs, so settled() cannot slip in between.
            busy++;
            asleep = false;
          });
        } catch (err) {
          if (asleep) {
            busy++;
            asleep = false;
          }
          throw err;
        }
      };
      try {
        return await work(rest);
      } finally {
        busy--;
        if (busy === 0) check();
      }
    },
    settled(timeoutMs = 30_000) {
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(done);
          resolve(false);
        }, timeoutMs);
        timer.unref();
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve(true);
        };
        waiters.add(done);
        check();
      });
    },
  };
}
