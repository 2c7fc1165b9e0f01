// Schedules: every Liveboard schedule of the namespace (GET /_emulator/state), per org: its Liveboard,
// status, cron and a phrase for it, time zone, next run (and how far it is on the emulator clock),
// last runs and skipped runs. Run now (POST /_emulator/schedules/<id>/run) shows the run's result live
// from the "schedule" events, with the e-mail it sent; Pause and Resume go through the ThoughtSpot API.
import { $, admin, api, debounce, el, fillSelect, guarded, on, start, state, status, time, toast } from "./lib.js";

const FIELDS = ["second", "minute", "hour", "day_of_month", "month", "day_of_week"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const SHOWN_RUNS = 5;

let clock = null;
let schedules = [];
let orgs = [];
/** Run-now results shown under their schedule: schedule id → { run, emails }. */
const results = new Map();

const nowMs = () => (clock ? (clock.frozen ? clock.now : clock.now + (performance.now() - clock.seen)) : Date.now());

/** The six cron fields as one line. */
const cronLine = (c) => FIELDS.map((f) => c[f]).join(" ");

const isNum = (v) => /^\d+$/.test(v);
const two = (v) => String(v).padStart(2, "0");
const listOf = (v, names) => v.split(",").map((x) => (isNum(x) ? (names[Number(x) - (names === MONTHS ? 1 : 0)] ?? x) : x));

/** A phrase for the common shapes of a cron (every day at…, every N minutes, on Mondays at…); null for the others. */
function cronPhrase(c) {
  const { second: s, minute: m, hour: h, day_of_month: dom, month: mon, day_of_week: dow } = c;
  const step = (v) => /^\*\/(\d+)$/.exec(v)?.[1];
  const anyDay = (dom === "*" || dom === "?") && mon === "*" && (dow === "*" || dow === "?");
  if (anyDay && s === "*" && m === "*" && h === "*") return "every second";
  if (anyDay && isNum(s) && m === "*" && h === "*") return "every minute";
  if (anyDay && isNum(s) && step(m) && h === "*") return `every ${step(m)} minutes`;
  if (anyDay && isNum(s) && isNum(m) && h === "*") return `every hour at minute ${m}`;
  if (anyDay && isNum(s) && isNum(m) && step(h)) return `every ${step(h)} hours at minute ${m}`;
  if (!(isNum(s) && isNum(m) && (isNum(h) || /^\d+(,\d+)+$/.test(h)))) return null;
  const at = `at ${h
    .split(",")
    .map((x) => `${two(x)}:${two(m)}${s !== "0" ? `:${two(s)}` : ""}`)
    .join(", ")}`;
  if (anyDay) return `every day ${at}`;
  if ((dom === "*" || dom === "?") && mon === "*" && /^[\d,]+$/.test(dow)) return `every ${listOf(dow, DAYS).join(", ")} ${at}`;
  if ((dom === "*" || dom === "?") && mon === "*" && dow === "1-5") return `every weekday ${at}`;
  if (/^[\d,]+$/.test(dom) && (dow === "*" || dow === "?")) {
    const months = mon === "*" ? "every month" : `in ${listOf(mon, MONTHS).join(", ")}`;
    return `on day ${dom.split(",").join(", ")} ${months} ${at}`;
  }
  return null;
}

/** How far an instant is from the emulator clock's now: "in 25 min", "3 h ago". */
function relative(ms) {
  const d = ms - nowMs();
  const a = Math.abs(d);
  const s = Math.round(a / 1000);
  const m = Math.round(a / 60_000);
  const h = Math.round(a / 3_600_000);
  const text = s < 60 ? `${s} s` : m < 60 ? `${m} min` : h < 48 ? `${h} h` : `${Math.round(a / 86_400_000)} days`;
  if (s === 0) return "now";
  return d >= 0 ? `in ${text}` : `${text} ago`;
}

function nextRun(s) {
  if (s.next_run_time_in_millis === null) {
    return el("span", { class: "muted", text: s.status === "PAUSED" ? "none while paused" : "none" });
  }
  const iso = new Date(s.next_run_time_in_millis).toISOString();
  return el(
    "span",
    { class: "next-run" },
    el("time", { datetime: iso, class: "mono", text: iso }),
    el("br"),
    el("span", { class: "muted rel", dataset: { at: s.next_run_time_in_millis }, text: relative(s.next_run_time_in_millis) }),
  );
}

function lastRuns(s) {
  const runs = (s.history_runs ?? []).slice(0, SHOWN_RUNS);
  if (runs.length === 0) return el("span", { class: "runs muted", text: "no run yet" });
  const [latest] = runs;
  return el(
    "div",
    { class: "runs" },
    el(
      "ol",
      { class: "plain run-list", "aria-label": `Last runs of ${s.name}, newest first` },
      runs.map((r) => el("li", { dataset: { run: r.id, status: r.status } }, status(r.status), " ", time(r.start_time_in_millis))),
    ),
    latest.detail ? el("p", { class: "hint run-detail", text: latest.detail }) : null,
  );
}

/** What the last Run now of a schedule did: its status and reason, and the e-mail it sent. */
function resultOf(s) {
  const got = results.get(s.id);
  if (!got) return null;
  const { run, emails } = got;
  return el(
    "div",
    { class: "run-result", role: "status", dataset: { run: run.id, status: run.status } },
    "Run now: ",
    status(run.status),
    run.detail ? el("span", { class: "run-reason", text: ` ${run.detail}` }) : null,
    emails.map((m) => el("p", { class: "outbox-message" }, "E-mail to ", m.to.join(", "), ": ", el("em", { text: m.subject }))),
  );
}

async function runNow(s) {
  const res = await admin("POST", `/schedules/${encodeURIComponent(s.id)}/run`);
  const known = results.get(s.id);
  // The run's events may have come first: a later status is kept.
  if (known?.run.id !== res.run_id) results.set(s.id, { run: res.run, emails: [] });
  toast(`Run now of ${s.name}: through ${res.channels.length ? res.channels.join(" and ") : "no channel"}.`);
  render();
}

async function setStatus(s, next) {
  await api("POST", `/schedules/${encodeURIComponent(s.id)}/update`, { status: next }, s.org.id);
  toast(`${s.name} is ${next === "ACTIVE" ? "active again" : "paused"}.`);
  await load();
}

function row(s) {
  const phrase = cronPhrase(s.frequency.cron_expression);
  const paused = s.status === "PAUSED";
  return el(
    "tr",
    { dataset: { schedule: s.id, name: s.name, status: s.status } },
    el("th", { scope: "row" }, el("strong", { text: s.name }), s.description ? el("div", { class: "hint", text: s.description }) : null),
    el("td", { text: s.metadata.name ?? s.metadata.id }),
    el("td", {}, el("span", { class: `status status-${paused ? "paused" : "active"}`, text: paused ? "Paused" : "Active" })),
    el(
      "td",
      {},
      el("code", { class: "cron", text: cronLine(s.frequency.cron_expression) }),
      phrase ? el("div", { class: "hint phrase", text: phrase }) : null,
    ),
    el("td", { class: "mono", text: s.time_zone }),
    el("td", {}, nextRun(s)),
    el("td", {}, lastRuns(s), resultOf(s)),
    el("td", { class: "num skipped", text: s.skipped_runs }),
    el(
      "td",
      {},
      el(
        "div",
        { class: "row-actions" },
        el("button", {
          type: "button",
          class: "primary",
          text: "Run now",
          "aria-label": `Run ${s.name} now`,
          onclick: guarded(() => runNow(s)),
        }),
        el("button", {
          type: "button",
          text: paused ? "Resume" : "Pause",
          "aria-label": `${paused ? "Resume" : "Pause"} ${s.name}`,
          onclick: guarded(() => setStatus(s, paused ? "ACTIVE" : "PAUSE")),
        }),
      ),
    ),
  );
}

function section(org, list) {
  const head = [
    "Schedule",
    "Liveboard",
    "Status",
    "Frequency (s m h dom mon dow)",
    "Time zone",
    "Next run",
    "Last runs",
    "Skipped",
    "Actions",
  ];
  return el(
    "section",
    { class: "org-section", dataset: { org: org.id }, "aria-labelledby": `sched-org-${org.id}` },
    el("h2", { id: `sched-org-${org.id}` }, org.name, " ", el("span", { class: "muted", text: `org ${org.id}` })),
    el(
      "div",
      { class: "table-wrap" },
      el(
        "table",
        { class: "schedules" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            head.map((h) => el("th", { scope: "col", class: h === "Skipped" ? "num" : null, text: h })),
          ),
        ),
        el("tbody", {}, list.map(row)),
      ),
    ),
  );
}

function render() {
  const wanted = $("sched-org").value;
  const shown = orgs.filter((o) => !wanted || o.id === wanted);
  const sections = shown.map((o) => [o, schedules.filter((s) => s.org.id === o.id)]).filter(([, list]) => list.length);
  const total = sections.reduce((n, [, list]) => n + list.length, 0);
  $("sched-summary").textContent = total
    ? `${total} schedule${total === 1 ? "" : "s"} in ${sections.length} org${sections.length === 1 ? "" : "s"}.`
    : "No schedule yet: create one with POST /api/rest/2.0/schedules/create.";
  $("sched-list").replaceChildren(...sections.map(([o, list]) => section(o, list)));
}

function showClock() {
  const node = time(nowMs());
  node.id = "sched-clock";
  $("sched-clock").replaceWith(node);
  for (const rel of document.querySelectorAll(".next-run .rel")) rel.textContent = relative(Number(rel.dataset.at));
}

const setClock = (c) => {
  clock = { ...c, seen: performance.now() };
  showClock();
};

async function load() {
  const [s, c] = await Promise.all([state(), admin("GET", "/clock")]);
  orgs = s.orgs;
  schedules = s.schedules;
  fillSelect(
    $("sched-org"),
    orgs.map((o) => [o.id, o.name]),
  );
  setClock(c);
  render();
}

void start(async () => {
  $("sched-org").addEventListener("change", render);
  const reload = debounce(load, 300);
  on("schedule", (ev) => {
    const run = ev.run;
    if (run && results.get(ev.schedule.id)?.run.id === run.id) results.get(ev.schedule.id).run = run;
    else if (run?.run_now) results.set(ev.schedule.id, { run, emails: [] });
    if (run) render();
    reload();
  });
  on("outbox", (m) => {
    const got = results.get(m.schedule.id);
    if (got?.run.id !== m.run_id) return;
    got.emails.push(m);
    render();
  });
  on("clock", (c) => {
    setClock(c);
    reload();
  });
  on("reset", () => {
    results.clear();
    reload();
  });
  setInterval(showClock, 1000);
  await load();
});
