/**
 * A string → job-number table (open addressing over typed arrays). For a million job ids it
 * fills in about a third of the time a Map takes, and gives the garbage collector nothing to trace.
 * Growing moves the old slots over a little at each add (8 per add) instead of all at once: a
 * rehash of two million ids in one go held the event loop for over 100 ms.
 */
export class IdTable {
  private slots = new Int32Array(1 << 10); // job number + 1; 0 = empty
  private hashes = new Int32Array(1 << 10);
  private used = 0;
  /** While growing: the previous table, read-only, and how many of its slots were moved. */
  private old: { slots: Int32Array; hashes: Int32Array } | null = null;
  private moved = 0;

  constructor(private readonly keyOf: (n: number) => string) {}

  get size(): number {
    return this.used;
  }

  get(id: string): number | undefined {
    const h = hash(id);
    return this.find(this.slots, this.hashes, h, id) ?? (this.old ? this.find(this.old.slots, this.old.hashes, h, id) : undefined);
  }

  /** The job number of `id` if known; otherwise records `id` as job `n` and answers undefined. */
  getOrAdd(id: string, n: number): number | undefined {
    const h = hash(id);
    const known = this.find(this.slots, this.hashes, h, id) ?? (this.old ? this.find(this.old.slots, this.old.hashes, h, id) : undefined);
    if (known !== undefined) return known;
    if (this.old) this.moveSome(8);
    else if ((this.used + 1) * 2 > this.slots.length) this.startGrowing();
    this.place(h, n);
    this.used++;
    return undefined;
  }

  clear(): void {
    this.slots = new Int32Array(1 << 10);
    this.hashes = new Int32Array(1 << 10);
    this.used = 0;
    this.old = null;
    this.moved = 0;
  }

  private find(slots: Int32Array, hashes: Int32Array, h: number, id: string): number | undefined {
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[i];
      if (s === 0) return undefined;
      if (hashes[i] === h && this.keyOf(s - 1) === id) return s - 1;
    }
  }

  private place(h: number, n: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = n + 1;
    this.hashes[i] = h;
  }

  /**
   * A table twice as large takes the adds from now on; the old one's entries follow, 8 slots per
   * add. The old table (C slots) is half full: moving it takes C/8 adds, long before the new one
   * (2C slots) is half full, C/2 adds later.
   */
  private startGrowing(): void {
    this.old = { slots: this.slots, hashes: this.hashes };
    this.moved = 0;
    this.slots = new Int32Array(this.old.slots.length * 2);
    this.hashes = new Int32Array(this.old.slots.length * 2);
  }

  private moveSome(count: number): void {
    const old = this.old!;
    const end = Math.min(old.slots.length, this.moved + count);
    for (let i = this.moved; i < end; i++) if (old.slots[i] !== 0) this.place(old.hashes[i], old.slots[i] - 1);
    this.moved = end;
    if (end === old.slots.length) this.old = null;
  }
}

/** FNV-1a, 32 bits (exported for the collision tests). */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h | 0;
}
