import type { Deps } from "./context.js";
import type { EmulatorEvent, EventType } from "./observe/events.js";
import type { InboxEntry } from "./observe/inbox.js";
import { type JournalEntry, view } from "./observe/journal.js";
import { type Difference, type Filters, filtered, find, type Matcher } from "./observe/match.js";
import type { OutboxEntry } from "./observe/outbox.js";

export type { Difference, EmulatorEvent, InboxEntry, JournalEntry, Matcher, OutboxEntry };

/** Which namespace a helper call is about (default "default"). */
interface In {
  namespace?: string;
}

/** Typed helpers over the journal, the inbox and the event stream, for tests in the same process. */
export interface Observers {
  requests: {
    /** The journal, newest first. */
    list(filter?: Filters & In): JournalEntry[];
    /** The entries matching, and the closest ones with what differs when none does. */
    find(matcher: Matcher & In): {
      count: number;
      requests: JournalEntry[];
      near_misses: { request: JournalEntry; differences: Difference[] }[];
    };
    clear(ns?: string): number;
  };
  inbox: {
    /** Messages oldest first; `name` is an inbox name, webhook id or webhook name. */
    list(filter?: { name?: string; after?: string } & In): InboxEntry[];
    /** The first message after `after` for `webhook` (or any), waiting for it up to `timeoutMs` (default 5000); rejects when none comes. */
    waitFor(filter?: { webhook?: string; after?: string; timeoutMs?: number } & In): Promise<InboxEntry>;
  };
  outbox: {
    /** E-mails schedule runs sent, oldest first; `schedule` is a schedule id or name. */
    list(filter?: { schedule?: string; after?: string } & In): OutboxEntry[];
    /** The first e-mail after `after` (of `schedule`, or any), waiting for it up to `timeoutMs` (default 5000); rejects when none comes. */
    waitFor(filter?: { schedule?: string; after?: string; timeoutMs?: number } & In): Promise<OutboxEntry>;
  };
  events: {
    subscribe(listener: (e: EmulatorEvent) => void, ns?: string): () => void;
    /** The next event (of `type`), within `timeoutMs` (default 5000). */
    next(type?: EventType, opts?: { timeoutMs?: number } & In): Promise<EmulatorEvent>;
  };
}

export function observers(deps: Deps): Observers {
  const ns = (name = "default") => deps.namespaces.get(name);
  const entries = (name?: string) => ns(name).journal.all().map(view).reverse();
  return {
    requests: {
      list: ({ namespace, ...f } = {}) => filtered(f, entries(namespace)),
      find: ({ namespace, ...m }) => find(m, entries(namespace)),
      clear: (name) => ns(name).journal.clear(),
    },
    inbox: {
      list: ({ namespace, ...f } = {}) => ns(namespace).inbox.list(f),
      async waitFor({ namespace, webhook, after, timeoutMs = 5000 } = {}) {
        const [first] = await ns(namespace).inbox.wait({ name: webhook, after }, timeoutMs);
        if (!first)
          throw new Error(`No inbox message${webhook ? ` for ${webhook}` : ""}${after ? ` after ${after}` : ""} within ${timeoutMs} ms.`);
        return first;
      },
    },
    outbox: {
      list: ({ namespace, ...f } = {}) => ns(namespace).outbox.list(f),
      async waitFor({ namespace, schedule, after, timeoutMs = 5000 } = {}) {
        const [first] = await ns(namespace).outbox.wait({ schedule, after }, timeoutMs);
        if (!first)
          throw new Error(`No outbox e-mail${schedule ? ` of ${schedule}` : ""}${after ? ` after ${after}` : ""} within ${timeoutMs} ms.`);
        return first;
      },
    },
    events: {
      subscribe: (listener, name = "default") => deps.events.of(name).subscribe(listener),
      next(type, { namespace = "default", timeoutMs = 5000 } = {}) {
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            off();
            reject(new Error(`No ${type ?? ""} event within ${timeoutMs} ms.`));
          }, timeoutMs);
          const off = deps.events.of(namespace).subscribe((e) => {
            if (type !== undefined && e.type !== type) return;
            clearTimeout(timer);
            off();
            resolve(e);
          });
        });
      },
    },
  };
}
