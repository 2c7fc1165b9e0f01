/**
 * Per-job fields of the history index, stored outside the JS heap in fixed pages: growing adds a
 * page and never copies, and millions of jobs give the garbage collector nothing to trace.
 */

const PAGE_BITS = 12;
export const PAGE = 1 << PAGE_BITS;
type Typed = Float64Array | Int32Array | Uint8Array;

/**
 * One field of every job, in pages of 4,096: growing adds a page and never copies (doubling
 * one array of two million jobs, all eight fields, held the event loop for ~100 ms).
 */
export class Column {
  private pages: Typed[] = [];
  constructor(private readonly kind: { new (n: number): Typed }) {}
  get(i: number): number {
    return this.pages[i >>> PAGE_BITS]![i & (PAGE - 1)]!;
  }
  set(i: number, v: number): void {
    this.pages[i >>> PAGE_BITS]![i & (PAGE - 1)] = v;
  }
  /** Room for `n` jobs. */
  ensure(n: number): void {
    while (this.pages.length * PAGE < n) this.pages.push(new this.kind(PAGE));
  }
  clear(): void {
    this.pages = [];
  }
}

const ID_PAGE_BYTES = 1 << 20;

/**
 * Job ids as bytes (Latin-1) in 1 MB pages, with their place in two columns. Kept as two million JS
 * strings, ids made each full garbage collection of a large history stop the event loop for over
 * 100 ms. An id with a character past U+00FF (rare: ids are `n.<uuid>`) stays a string.
 */
export class IdColumn {
  private pages: Buffer[] = [];
  private used = ID_PAGE_BYTES;
  private readonly at = new Column(Float64Array);
  private readonly len = new Column(Int32Array);
  private readonly wide = new Map<number, string>();

  /** Records job `i`'s id (jobs are numbered from 0, each set once, in order). */
  set(i: number, id: string): void {
    this.at.ensure(i + 1);
    this.len.ensure(i + 1);
    if (!isLatin1(id) || id.length > ID_PAGE_BYTES) {
      this.wide.set(i, id);
      this.len.set(i, -1);
      return;
    }
    if (this.used + id.length > ID_PAGE_BYTES) {
      this.pages.push(Buffer.allocUnsafe(ID_PAGE_BYTES));
      this.used = 0;
    }
    const page = this.pages.length - 1;
    this.pages[page]!.write(id, this.used, "latin1");
    this.at.set(i, page * ID_PAGE_BYTES + this.used);
    this.len.set(i, id.length);
    this.used += id.length;
  }

  get(i: number): string {
    const n = this.len.get(i);
    if (n < 0) return this.wide.get(i)!;
    const at = this.at.get(i);
    const page = Math.floor(at / ID_PAGE_BYTES);
    const from = at - page * ID_PAGE_BYTES;
    return this.pages[page]!.toString("latin1", from, from + n);
  }

  clear(): void {
    this.pages = [];
    this.used = ID_PAGE_BYTES;
    this.at.clear();
    this.len.clear();
    this.wide.clear();
  }
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}
