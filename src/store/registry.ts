import type { Store, StoredNamespace } from "./index.js";

/**
 * One kind of namespaced state that lives outside the store's records (buckets, scenario
 * activations, caches, background work…): made for a namespace on first use, dropped by reset.
 */
export interface Part<T> {
  create(ns: StoredNamespace): T;
  /** Undo everything the part holds for `name` (`value` is undefined when it was never made this run). */
  drop?(name: string, value: T | undefined): Promise<void> | void;
  /** Namespaces this part holds data for that the store may not know (e.g. bucket folders on disk). */
  names?(): string[];
}

export type Parts<E> = { [K in keyof E]: Part<E[K]> };
export type Namespace<E> = StoredNamespace & E;

/**
 * The one home of every namespace's state: the store's records, history and tokens, and every
 * registered part. `reset` is the only way a namespace (or all of them) goes back to the fixtures.
 */
export class NamespaceRegistry<E extends object> {
  private readonly byName = new Map<string, Namespace<E>>();
  private readonly keys: (keyof E)[];

  constructor(
    private readonly store: Store,
    private readonly parts: Parts<E>,
    /** Called with each namespace once it is made (first use, or first use after a reset). */
    private readonly created: (ns: Namespace<E>) => void = () => {},
  ) {
    this.keys = Object.keys(parts) as (keyof E)[];
  }

  get(name: string): Namespace<E> {
    let ns = this.byName.get(name);
    if (ns) return ns;
    const base = this.store.namespace(name);
    const extra = {} as E;
    for (const k of this.keys) extra[k] = this.parts[k].create(base);
    ns = Object.assign(extra, base);
    this.byName.set(name, ns);
    this.created(ns);
    return ns;
  }

  /** The namespaces in memory now. */
  live(): Namespace<E>[] {
    return [...this.byName.values()];
  }

  /** Every namespace that holds anything. */
  names(): string[] {
    const all = new Set([...this.store.names(), ...this.byName.keys()]);
    for (const k of this.keys) for (const n of this.parts[k].names?.() ?? []) all.add(n);
    return [...all];
  }

  /**
   * Back to the fixtures: every part drops what it holds (background work is stopped before
   * anything else), then the records, history and tokens go; resolves once that is on disk.
   */
  async reset(name?: string): Promise<string[]> {
    const targets = name === undefined ? this.names() : [name];
    for (const k of this.keys) {
      await Promise.all(targets.map((t) => this.parts[k].drop?.(t, this.byName.get(t)?.[k])));
    }
    const persisted = this.store.reset(targets);
    for (const t of targets) this.byName.delete(t);
    await persisted;
    return targets;
  }
}
