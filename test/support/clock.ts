/** Time in tests: a frozen emulator clock, and real waiting. */
import { type Clock, createClock } from "../../src/clock.js";

/** 2026-02-26T09:00:00Z, where frozen clocks start unless told otherwise. */
export const T0 = Date.UTC(2026, 1, 26, 9, 0, 0);

/** An emulator clock frozen at `at` (default T0), so times in responses are exact; move it with set/advance. */
export function frozenClock(at: number = T0): Clock {
  return createClock(at, { frozen: true });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
