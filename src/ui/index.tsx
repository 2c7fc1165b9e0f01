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
  return `<!doctype html>${(
    (
      <Layout page={id}>
        <Body />
      </Layout>
    )
  ).toString()}`;
}
