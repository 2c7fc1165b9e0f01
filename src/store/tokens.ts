import type { NamespaceState, TokenRecord } from "../schemas/records.js";

/** Expired tokens are forgotten this long after expiry, so token/validate can still say "expired". */
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;

interface Entry {
  ns: string;
  rec: TokenRecord;
}

/**
 * The one index of bearer tokens and session ids across namespaces, beside the namespaces'
 * token lists that state.json keeps. A namespace's list is pruned (and the index with it) once
 * it has doubled since its last pruning, so adding a token costs O(1) amortized.
 */
export class TokenIndex {
  private readonly byToken = new Map<string, Entry>();
  private readonly prunedAt = new Map<string, number>();

  load(ns: string, state: NamespaceState): void {
    for (const rec of state.tokens) this.byToken.set(rec.token, { ns, rec });
    this.prunedAt.set(ns, state.tokens.length);
  }

  get(token: string): Entry | undefined {
    return this.byToken.get(token);
  }

  /** The namespace a token or session id was issued in. */
  namespaceOf(token: string): string | undefined {
    return this.byToken.get(token)?.ns;
  }

  add(ns: string, state: NamespaceState, rec: TokenRecord, now: number): void {
    if (state.tokens.length >= 2 * Math.max(64, this.prunedAt.get(ns) ?? 0)) this.prune(ns, state, now);
    state.tokens.push(rec);
    this.byToken.set(rec.token, { ns, rec });
  }

  /** Forgets every token of a namespace (reset). */
  forget(ns: string, state: NamespaceState | undefined): void {
    for (const rec of state?.tokens ?? []) this.byToken.delete(rec.token);
    this.prunedAt.delete(ns);
  }

  private prune(ns: string, state: NamespaceState, now: number): void {
    const keep: TokenRecord[] = [];
    for (const rec of state.tokens) {
      if (rec.expiration_time_in_millis > now - KEEP_EXPIRED_MS) keep.push(rec);
      else this.byToken.delete(rec.token);
    }
    state.tokens = keep;
    this.prunedAt.set(ns, keep.length);
  }
}
