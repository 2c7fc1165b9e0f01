/** The emulator clock: real time by default; can start elsewhere, be moved and be frozen. */
export interface Clock {
  now(): number;
  set(epochMs: number): void;
  advance(ms: number): void;
  freeze(frozen: boolean): void;
  readonly frozen: boolean;
}

export function createClock(start?: number, opts: { frozen?: boolean; realNow?: () => number } = {}): Clock {
  const realNow = opts.realNow ?? Date.now;
  let offset = start === undefined ? 0 : start - realNow();
  let frozenAt: number | null = opts.frozen ? (start ?? realNow()) : null;
  const now = () => (frozenAt !== null ? frozenAt : realNow() + offset);
  return {
    now,
    set(epochMs) {
      if (frozenAt !== null) frozenAt = epochMs;
      else offset = epochMs - realNow();
    },
    advance(ms) {
      if (frozenAt !== null) frozenAt += ms;
      else offset += ms;
    },
    freeze(frozen) {
      if (frozen && frozenAt === null) frozenAt = now();
      if (!frozen && frozenAt !== null) {
        offset = frozenAt - realNow();
        frozenAt = null;
      }
    },
    get frozen() {
      return frozenAt !== null;
    },
  };
}
