// History: every job within the retention period (GET /_emulator/history, filtered and paged on the
// server) and jobs per day by status as stacked bars (GET /_emulator/history/histogram). Filters live
// in the page's query string, so a filtered view can be bookmarked or linked to.
import { $, admin, debounce, el, fillSelect, formatTime, guarded, number, on, start, state, status, time } from "./lib.js";

const SVG = "http://www.w3.org/2000/svg";
const STACK = ["SUCCESS", "FAILED", "RETRY", "PENDING"];
const FILTERS = ["org", "channel", "status", "event", "from", "to", "limit"];

let offset = 0;
let webhooks = [];

const form = () => $("history-filters");
const field = (name) => form().elements.namedItem(name);

/** A datetime-local value ↔ epoch ms (the browser's time zone). */
const toMs = (v) => (v ? new Date(v).getTime() : null);
function toLocal(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

function filters() {
  const q = {};
  for (const name of ["org", "channel", "status", "event"]) if (field(name).value) q[name] = field(name).value.trim();
  const from = toMs(field("from").value);
  const to = toMs(field("to").value);
  if (from !== null) q.from = String(from);
  if (to !== null) q.to = String(to);
  return q;
}

function fromUrl() {
  const q = new URLSearchParams(location.search);
  for (const name of FILTERS) {
    const v = q.get(name);
    if (v === null || name === "channel") continue;
    field(name).value = name === "from" || name === "to" ? toLocal(Number(v)) : v;
  }
  webhookOptions();
  field("channel").value = q.get("channel") ?? "";
  offset = Number(q.get("offset") ?? 0) || 0;
}

function toUrl() {
  const q = new URLSearchParams(location.search);
  for (const name of FILTERS) q.delete(name);
  q.delete("offset");
  for (const [k, v] of Object.entries(filters())) q.set(k, v);
  if (field("limit").value !== "50") q.set("limit", field("limit").value);
  if (offset) q.set("offset", String(offset));
  history.replaceState(null, "", `${location.pathname}?${q}`);
}

function webhookOptions() {
  const org = field("org").value;
  const list = webhooks.filter((w) => !org || w.org.id === org).map((w) => [w.id, `${w.name} (${w.org.name})`]);
  const chosen = new URLSearchParams(location.search).get("channel");
  if (chosen && !webhooks.some((w) => w.id === chosen || w.name === chosen)) list.push([chosen, `${chosen} (deleted)`]);
  fillSelect(field("channel"), list);
}

// ---------- the chart

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c);
  return node;
}

function niceMax(n) {
  if (n <= 5) return 5;
  const step = 10 ** Math.floor(Math.log10(n));
  return Math.ceil(n / step) * step;
}

const dayLabel = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

function chart(h) {
  const W = 960;
  const H = 260;
  const left = 48;
  const bottom = 28;
  const top = 10;
  const max = niceMax(Math.max(1, ...h.days.map((d) => d.total)));
  const plotH = H - top - bottom;
  const slot = (W - left - 8) / Math.max(1, h.days.length);
  const barW = Math.max(4, Math.min(64, slot * 0.7));
  const y = (v) => top + plotH - (v / max) * plotH;
  const parts = [];
  for (const v of [0, max / 2, max]) {
    parts.push(svg("line", { x1: left, x2: W, y1: y(v), y2: y(v), class: "grid-line" }));
    parts.push(svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" }, number(v)));
  }
  const every = Math.ceil(h.days.length / 14);
  h.days.forEach((d, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const label = `${dayLabel.format(d.start)}: ${number(d.total)} jobs (${STACK.map((s) => `${number(d[s])} ${s}`).join(", ")})`;
    const g = svg("g", { class: "day", tabindex: 0, role: "button", "aria-label": `${label}. Show this day's jobs.` });
    g.dataset.date = d.date;
    g.append(svg("title", {}, label));
    let base = 0;
    for (const s of STACK) {
      if (!d[s]) continue;
      g.append(
        svg("rect", { x, width: barW, y: y(base + d[s]), height: Math.max(1, y(base) - y(base + d[s])), class: `bar-${s.toLowerCase()}` }),
      );
      base += d[s];
    }
    // A transparent full-height target: days with few jobs are as easy to pick as busy ones.
    g.append(svg("rect", { x: left + i * slot, width: slot, y: top, height: plotH, fill: "transparent" }));
    const pick = () => {
      field("from").value = toLocal(d.start);
      field("to").value = toLocal(d.start + 86_400_000 - 1000);
      offset = 0;
      void guarded(load)();
    };
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        pick();
      }
    });
    parts.push(g);
    if (i % every === 0)
      parts.push(svg("text", { x: x + barW / 2, y: H - 8, "text-anchor": "middle", class: "axis" }, dayLabel.format(d.start)));
  });
  const total = h.days.reduce((n, d) => n + d.total, 0);
  const title = `Jobs per day over the last ${h.retention_days} days: ${number(total)} in all`;
  $("chart").replaceChildren(svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "group", "aria-label": title }, ...parts));
  $("chart-summary").textContent = `${title}. Days start at local midnight. Pick a day to see its jobs.`;
  $("chart-legend").replaceChildren(
    ...STACK.map((s) => el("li", {}, el("span", { class: `swatch bar-${s.toLowerCase()}`, "aria-hidden": "true" }), s)),
  );
  $("chart-table").replaceChildren(
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col", text: "Day" }),
        ...STACK.map((s) => el("th", { scope: "col", class: "num", text: s })),
        el("th", { scope: "col", class: "num", text: "Total" }),
      ),
    ),
    el(
      "tbody",
      {},
      h.days.map((d) =>
        el(
          "tr",
          {},
          el("th", { scope: "row", text: d.date }),
          ...STACK.map((s) => el("td", { class: "num", text: number(d[s]) })),
          el("td", { class: "num", text: number(d.total) }),
        ),
      ),
    ),
  );
}

// ---------- the table

function row(j) {
  const job = j.job;
  const validation = job.event.id.startsWith("validation-");
  return el(
    "tr",
    { dataset: { job: job.id, status: job.status } },
    el("td", {}, time(job.creation_time_in_millis)),
    el("td", {}, j.channel_name ?? el("span", { class: "muted", title: j.channel_id, text: "deleted webhook" })),
    el("td", {}, validation ? el("span", { class: "muted", text: "validation" }) : (job.event.name ?? job.event.id)),
    el("td", {}, status(job.status)),
    el("td", { class: "num tries", text: job.try_count }),
    el("td", { class: "detail", text: job.detail ?? "" }),
    el("td", { class: "id", text: job.id }),
  );
}

async function load() {
  toUrl();
  const q = filters();
  const limit = Number(field("limit").value);
  const scope = Object.fromEntries(Object.entries(q).filter(([k]) => k === "org" || k === "channel" || k === "event"));
  const [page, h] = await Promise.all([
    admin("GET", `/history?${new URLSearchParams({ ...q, offset: String(offset), limit: String(limit) })}`),
    admin("GET", `/history/histogram?${new URLSearchParams({ ...scope, tz_offset_minutes: String(-new Date().getTimezoneOffset()) })}`),
  ]);
  if (page.total > 0 && offset >= page.total) {
    offset = Math.max(0, Math.floor((page.total - 1) / limit) * limit);
    return load();
  }
  chart(h);
  $("jobs").tBodies[0].replaceChildren(
    ...(page.jobs.length ? page.jobs.map(row) : [el("tr", {}, el("td", { colspan: 7, class: "muted", text: "No job matches." }))]),
  );
  const since = page.from !== null ? ` since ${formatTime(page.from)}` : "";
  $("jobs-summary").textContent =
    `${number(page.total)} job${page.total === 1 ? "" : "s"} match${page.total === 1 ? "es" : ""}${since} (retention ${page.retention_days} days).`;
  $("page-info").textContent = page.total ? `${number(offset + 1)}–${number(offset + page.jobs.length)} of ${number(page.total)}` : "";
  $("page-newer").disabled = offset === 0;
  $("page-older").disabled = offset + limit >= page.total;
  $("f-event-list").replaceChildren(...page.schedules.map((s) => el("option", { value: s })));
}

void start(async () => {
  const s = await state();
  webhooks = s.webhooks;
  fillSelect(
    field("org"),
    s.orgs.map((o) => [o.id, o.name]),
  );
  fromUrl();
  form().addEventListener("submit", (e) => {
    e.preventDefault();
    offset = 0;
    void guarded(load)();
  });
  form().addEventListener("reset", () =>
    setTimeout(() => {
      offset = 0;
      webhookOptions();
      void guarded(load)();
    }),
  );
  field("org").addEventListener("change", webhookOptions);
  $("page-newer").addEventListener("click", () => {
    offset = Math.max(0, offset - Number(field("limit").value));
    void guarded(load)();
  });
  $("page-older").addEventListener("click", () => {
    offset += Number(field("limit").value);
    void guarded(load)();
  });
  // Live: new and changed jobs, clock moves (retention), resets and the end of a synthesis.
  const refresh = debounce(load, 700);
  on("job", refresh);
  on("clock", refresh);
  on("reset", refresh);
  on("synthesis", (p) => p.finished && refresh());
  await load();
});
