// Requests: the request journal (GET /_emulator/requests, filtered on the server), newest first, with
// each entry's headers, request and response bodies and the scenario rules that fired. New entries
// come live from the event stream and are checked against the same filters here.
import { $, admin, el, guarded, jsonBlock, number, on, report, start, time, toast } from "./lib.js";

const LIMIT = 200;
const FIELDS = ["operation", "method", "path", "status", "kind"];
const operations = new Set();

const form = () => $("request-filters");
const value = (name) => String(form().elements.namedItem(name).value).trim();

function filters() {
  const q = {};
  for (const name of FIELDS) if (value(name)) q[name] = value(name);
  return q;
}

/** The journal's own matching (exact fields, `*` globs in the path), for entries that arrive live. */
function matches(e, q) {
  if (q.operation && e.operation !== q.operation) return false;
  if (q.method && e.method !== q.method.toUpperCase()) return false;
  if (q.status && e.status !== Number(q.status)) return false;
  if (q.kind && e.kind !== q.kind) return false;
  if (q.path) {
    const glob = new RegExp(
      `^${q.path
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    if (!glob.test(e.path)) return false;
  }
  return true;
}

const statusWord = (code) =>
  el("span", {
    class: `status status-${code >= 200 && code < 300 ? "success" : code >= 500 || code === 0 ? "failed" : "retry"}`,
    text: code || "no answer",
  });

function entry(e, fresh) {
  if (e.operation) operations.add(e.operation);
  const caller = e.principal ? `${e.principal.user} @ org ${e.principal.org}` : "";
  const fired = e.scenarios.length ? e.scenarios.map((f) => `${f.scenario} rule ${f.rule} at ${f.at}`).join("; ") : null;
  return el(
    "li",
    { class: fresh ? "new" : "", dataset: { entry: e.id, kind: e.kind } },
    el(
      "div",
      { class: "summary" },
      time(e.time),
      el("span", { class: "badge", text: e.kind }),
      el("strong", { text: e.method }),
      el("span", { class: "path", text: `${e.path}${e.query ? `?${e.query}` : ""}` }),
      el("span", {
        class: "mono",
        text: e.operation ?? (e.outgoing ? `${e.outgoing.purpose} try ${e.outgoing.try}/${e.outgoing.of}` : ""),
      }),
      statusWord(e.status),
      el("span", { class: "num muted", text: `${e.duration_ms} ms` }),
    ),
    el(
      "details",
      {},
      el("summary", { text: `Details${caller ? ` · ${caller}` : ""}${fired ? " · scenario fired" : ""}` }),
      fired ? el("p", {}, "Scenario rules: ", fired) : null,
      e.trace_id ? el("p", {}, "Error trace id: ", el("span", { class: "mono", text: e.trace_id })) : null,
      e.outgoing
        ? el(
            "p",
            {},
            `To ${e.outgoing.url}${e.outgoing.job_id ? ` for job ${e.outgoing.job_id}` : ""}${e.outgoing.error ? `: ${e.outgoing.error}` : ""}`,
          )
        : null,
      el(
        "div",
        { class: "two" },
        el(
          "div",
          {},
          el("h3", { text: "Request" }),
          jsonBlock(e.headers),
          e.body === null ? el("p", { class: "muted", text: "No body." }) : jsonBlock(e.body),
        ),
        el(
          "div",
          {},
          el("h3", { text: "Response" }),
          e.response === null ? el("p", { class: "muted", text: "No body." }) : jsonBlock(e.response),
        ),
      ),
    ),
  );
}

let count = 0;
function summary(total, enabled) {
  $("requests-summary").textContent =
    enabled === false
      ? "The journal is off (--journal-size 0)."
      : `${number(count)} shown of ${number(total ?? count)} matching, newest first.`;
}

async function load() {
  const r = await admin("GET", `/requests?${new URLSearchParams({ ...filters(), limit: String(LIMIT) })}`);
  $("request-list").replaceChildren(...r.requests.map((e) => entry(e, false)));
  count = r.requests.length;
  summary(r.total, r.enabled);
  $("r-operations").replaceChildren(...[...operations].sort().map((o) => el("option", { value: o })));
}

void start(async () => {
  form().addEventListener("submit", (e) => {
    e.preventDefault();
    void guarded(load)();
  });
  form().addEventListener("reset", () => setTimeout(() => void guarded(load)()));
  $("journal-clear").addEventListener(
    "click",
    guarded(async () => {
      const r = await admin("DELETE", "/requests");
      toast(`Emptied the journal (${r.cleared} entries).`);
      await load();
    }),
  );
  on("request", (e) => {
    if (!matches(e, filters())) return;
    const list = $("request-list");
    list.prepend(entry(e, true));
    while (list.children.length > LIMIT) list.lastElementChild.remove();
    count = list.children.length;
    summary(null, true);
  });
  on("reset", () => void load().catch(report));
  await load();
});
