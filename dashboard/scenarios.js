// Scenarios: the namespace's active set with each rule's hits and remaining times, the library with a
// switch per scenario (POST /_emulator/scenarios/<name>/activate | deactivate), and the inline rule
// editor (PUT /_emulator/scenarios/active), which shows the emulator's error when a rule is wrong.
import { $, admin, debounce, el, guarded, jsonBlock, on, start, toast } from "./lib.js";

function matchText(m) {
  const { operation, hook, ...filters } = m;
  const what = hook ? `hook ${hook}` : `operation ${operation}`;
  const rest = Object.entries(filters).map(([k, v]) => `${k} = ${v}`);
  return rest.length ? `${what}, ${rest.join(", ")}` : what;
}

function rulesTable(rules, withCounts) {
  return el(
    "div",
    { class: "table-wrap" },
    el(
      "table",
      { class: "rules" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "col", class: "num", text: "#" }),
          el("th", { scope: "col", text: "Matches" }),
          el("th", { scope: "col", text: "Outcome" }),
          el("th", { scope: "col", text: "Limits" }),
          withCounts ? el("th", { scope: "col", class: "num", text: "Hits" }) : null,
          withCounts ? el("th", { scope: "col", class: "num", text: "Remaining" }) : null,
        ),
      ),
      el(
        "tbody",
        {},
        rules.map((r, i) =>
          el(
            "tr",
            {},
            el("td", { class: "num", text: i }),
            el("td", { text: matchText(r.match) }),
            el("td", { class: "mono", text: JSON.stringify(r.outcome) }),
            el("td", {
              text:
                [
                  r.times !== undefined && `times ${r.times}`,
                  r.after !== undefined && `after ${r.after}`,
                  r.probability !== undefined && `probability ${r.probability}`,
                ]
                  .filter(Boolean)
                  .join(", ") || "—",
            }),
            withCounts ? el("td", { class: "num hits", text: r.hits }) : null,
            withCounts ? el("td", { class: "num remaining", text: r.remaining === null ? "∞" : r.remaining }) : null,
          ),
        ),
      ),
    ),
  );
}

async function toggle(name, active) {
  await admin("POST", `/scenarios/${encodeURIComponent(name)}/${active ? "activate" : "deactivate"}`);
  toast(`${name} is ${active ? "on" : "off"} in this namespace.`);
  await load();
}

async function load() {
  const r = await admin("GET", "/scenarios");
  const active = new Map(r.active.map((a) => [a.name, a]));
  $("active-list").replaceChildren(
    ...(r.active.length
      ? r.active.map((a) =>
          el(
            "li",
            { class: "card", dataset: { scenario: a.name } },
            el(
              "div",
              { class: "row" },
              el("h3", { text: a.name }),
              el("span", { class: "badge", text: a.source }),
              el("button", {
                type: "button",
                text: "Switch off",
                "aria-label": `Switch ${a.name} off`,
                onclick: guarded(() => toggle(a.name, false)),
              }),
            ),
            a.description ? el("p", { class: "hint", text: a.description }) : null,
            rulesTable(a.rules, true),
          ),
        )
      : [el("li", { class: "muted", text: "None: every call behaves normally." })]),
  );
  $("scenario-list").replaceChildren(
    ...r.available.map((s) => {
      const id = `switch-${s.name}`;
      const input = el("input", { type: "checkbox", role: "switch", id, checked: active.has(s.name), "aria-describedby": `${id}-about` });
      input.addEventListener(
        "change",
        guarded(() => toggle(s.name, input.checked)),
      );
      return el(
        "li",
        { dataset: { scenario: s.name } },
        el("div", {}, el("h3", { text: s.name }), el("p", { id: `${id}-about`, text: s.description ?? "" })),
        el("label", { class: "switch", for: id }, input, el("span", { text: active.has(s.name) ? "On" : "Off" })),
        el(
          "details",
          { class: "span-all" },
          el("summary", { text: `${s.rules.length} rule${s.rules.length === 1 ? "" : "s"}` }),
          rulesTable(s.rules, false),
          jsonBlock(s),
        ),
      );
    }),
  );
}

async function applyInline(e) {
  e.preventDefault();
  const error = $("inline-error");
  error.textContent = "";
  let parsed;
  try {
    parsed = JSON.parse($("inline-rules").value);
  } catch (err) {
    error.textContent = `Not JSON: ${err.message}`;
    return;
  }
  try {
    await admin("PUT", "/scenarios/active", parsed);
  } catch (err) {
    error.textContent = err.message;
    return;
  }
  toast("Inline rules are now the namespace's active set.");
  await load();
}

void start(async () => {
  $("inline-form").addEventListener("submit", guarded(applyInline));
  const reload = debounce(load, 300);
  on("scenario", reload);
  on("reset", reload);
  await load();
});
