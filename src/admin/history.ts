import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { HistogramQuery, HistoryQuery } from "../schemas/admin.js";
import { browseHistory, historyHistogram } from "../services/history-browse.js";
import { query } from "./request.js";

/** GET /history (every job of the namespace, filtered and paged) and GET /history/histogram (jobs per day and status). */
export function historyRoutes(_deps: Deps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.get("/history", (c) => {
    const page = browseHistory(c.get("rc"), query(HistoryQuery, c.req.query()));
    return c.body(page.text, 200, { "content-type": "application/json" });
  });
  r.get("/history/histogram", (c) => c.json(historyHistogram(c.get("rc"), query(HistogramQuery, c.req.query()))));
  return r;
}
