import type { TokenRecord } from "../schemas/records.js";
import type { NamespaceRecords } from "./records.js";

interface Entry {
  ns: string;
  rec: TokenRecord;
}

/**
 * The one index of committed bearer tokens and session ids across namespaces (a namespace's own
 * tokens are in its records). Expired tokens are pruned, from the records too, whenever a
 * namespace's tokens have doubled since its last pruning: adding a token costs O(1) amortized.
 */
export class TokenIndex {
  private readonly byToken = new Map<string, Entry>();
  private readonly prunedAt = new Map<string, number>();

  get(token: string): Entry | undefined {
    return this.byToken.get(token);
  }

  /** The namespace a token or session id was issued in. */
  namespaceOf(token: string): string | undefined {
    return this.byToken.get(token)?.ns;
  }

  load(ns: string, records: NamespaceRecords): void {
    for (const rec of records.tokens.values()) this.byToken.set(rec.token, { ns, rec });
    this.prunedAt.set(ns, records.tokens.size);
  }

  /** A committed token (new, or revoked). `copies` are the namespace's records to prune along. */
  put(ns: string, rec: TokenRecord, now: number, copies: NamespaceRecords[]): void {
    this.byToken.set(rec.token, { ns, rec });
    const count = copies[0]?.tokens.size ?? 0;
    if (count >= 2 * Math.max(64, this.prunedAt.get(ns) ?? 0)) this.prune(ns, now, copies);
  }

  /** Forgets every token of a namespace (reset). */
  forget(ns: string, records: NamespaceRecords | undefined): void {
    for (const token of records?.tokens.keys() ?? []) this.byToken.delete(token);
    this.prunedAt.delete(ns);
  }

  private prune(ns: string, now: number, copies: NamespaceRecords[]): void {
    const [first] = copies;
    if (!first) return;
    for (const rec of [...first.tokens.values()]) {
      if (rec.expiration_time_in_millis > now) continue;
      this.byToken.delete(rec.token);
      for (const c of copies) c.tokens.delete(rec.token);
    }
    this.prunedAt.set(ns, first.tokens.size);
  }
}
