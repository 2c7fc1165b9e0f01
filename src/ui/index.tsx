import { AsyncLocalStorage } from "node:async_hooks";
import type { FC } from "hono/jsx";
import { Layout, PAGES, type PageId } from "./layout.js";
import { History } from "./pages/history.js";
import { Inbox } from "./pages/inbox.js";
import { Overview } from "./pages/overview.js";
import { Requests } from "./pages/requests.js";
import { Scenarios } from "./pages/scenarios.js";
import { Schedules } from "./pages/schedules.js";
import { Synthesize } from "./pages/synthesize.js";
import { Webhooks } from "./pages/webhooks.js";

export { ASSETS, PAGES, type PageId, UI_BASE } from "./layout.js";

const BODIES: Record<PageId, FC> = {
  overview: Overview,
  webhooks: Webhooks,
  schedules: Schedules,
  history: History,
  inbox: Inbox,
  requests: Requests,
  scenarios: Scenarios,
  synthesize: Synthesize,
};

/** The page at a URL segment of /_emulator/ui/ ("" is the overview), or undefined. */
export const pageAt = (segment: string): PageId | undefined => PAGES.find((p) => p.path === segment)?.id;

/** A dashboard page as HTML: the same bytes every time (it holds no data). */
export function renderPage(id: PageId): string {
  const Body = BODIES[id];
  return withoutLastingHooks(
    () =>
      `<!doctype html>${(
        (
          <Layout page={id}>
            <Body />
          </Layout>
        )
      ).toString()}`,
  );
}

/**
 * hono/jsx renders inside an AsyncLocalStorage, and the first `run` of one turns Node's promise
 * hooks on for the whole process: every promise of every later request then pays for them (~10 µs
 * of CPU a read, docs/architecture.md, "Performance tricks"). The pages are rendered once, at
 * start-up, so the storages a render used are disabled after it, which turns the hooks off again
 * when nothing else uses one.
 */
function withoutLastingHooks<T>(render: () => T): T {
  const used = new Set<AsyncLocalStorage<unknown>>();
  const proto = AsyncLocalStorage.prototype;
  const run = proto.run;
  proto.run = function (this: AsyncLocalStorage<unknown>, ...args: Parameters<typeof run>) {
    used.add(this);
    return run.apply(this, args);
  } as typeof run;
  try {
    return render();
  } finally {
    proto.run = run;
    for (const storage of used) storage.disable();
  }
}
