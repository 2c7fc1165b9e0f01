// Overview: the emulator's settings, the clock (advance, freeze), counts, each org's LIVEBOARD_SCHEDULE
// channels and where they come from (with the configure API to change them), active scenarios, reset.
import { $, admin, api, debounce, el, guarded, namespace, number, on, pageUrl, start, state, time, toast } from "./lib.js";

const DAY = 86_400_000;
const EVENT = "LIVEBOARD_SCHEDULE";
const CHANNELS = ["EMAIL", "WEBHOOK"];

let clock = null;
let retentionDays = 3;

function showClock() {
  if (!clock) return;
  const now = clock.frozen ? clock.now : clock.now + (performance.now() - clock.seen);
  const node = time(now);
  node.id = "clock-now";
  $("clock-now").replaceWith(node);
  const badge = $("clock-state");
  badge.className = `badge status-${clock.frozen ? "frozen" : "running"}`;
  badge.textContent = clock.frozen ? "frozen" : "running";
  $("clock-freeze").textContent = clock.frozen ? "Unfreeze" : "Freeze";
  $("clock-freeze").setAttribute("aria-pressed", String(clock.frozen));
}

const setClock = (c) => {
  clock = { ...c, seen: performance.now() };
  showClock();
};

async function moveClock(body) {
  setClock(await admin("POST", "/clock", body));
}

function facts(list) {
  return list.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", {}, value)]);
}

/** The channels in force for an org (its override, else the cluster value) and where they come from. */
function effective(prefs, orgId) {
  const own = prefs.orgs[orgId]?.find((p) => p.event_type === EVENT);
  if (own) return { channels: own.channels, source: "org override" };
  return { channels: prefs.cluster.find((p) => p.event_type === EVENT)?.channels ?? [], source: "cluster value" };
}

function channelWords(channels) {
  return channels.length ? channels.map((c) => el("span", { class: "badge", text: c })) : el("span", { class: "muted", text: "none" });
}

/** Checkboxes for EMAIL and WEBHOOK and the buttons that configure them through the API. */
function changeForm(key, label, channels, onSave, onReset) {
  const boxes = CHANNELS.map((c) => {
    const id = `ch-${key}-${c}`;
    return [el("input", { type: "checkbox", id, value: c, checked: channels.includes(c) }), el("label", { for: id, text: c })];
  });
  const form = el(
    "form",
    {
      class: "row",
      "aria-label": `Channels of ${label}`,
      onsubmit: guarded(async (e) => {
        e.preventDefault();
        const chosen = [...form.querySelectorAll("input:checked")].map((i) => i.value);
        await onSave(chosen);
      }),
    },
    boxes,
    el("button", { type: "submit", text: "Save" }),
    onReset && el("button", { type: "button", text: "Use cluster value", onclick: guarded(onReset) }),
  );
  return form;
}

const configure = async (body, what) => {
  await api("POST", "/system/preferences/communication-channels/configure", body);
  toast(`Saved ${what}.`);
  await load();
};

function orgRows(s) {
  const prefs = s.preferences;
  const cluster = prefs.cluster.find((p) => p.event_type === EVENT)?.channels ?? [];
  const rows = [
    el(
      "tr",
      { class: "cluster" },
      el("th", { scope: "row", text: "Cluster value" }),
      el("td", { class: "muted", text: "every org without an override" }),
      el("td", {}, channelWords(cluster)),
      el("td", { text: "cluster" }),
      el("td", { class: "num", text: "" }),
      el(
        "td",
        {},
        changeForm("cluster", "the cluster", cluster, (channels) =>
          configure({ cluster_preferences: [{ event_type: EVENT, channels }] }, "the cluster value"),
        ),
      ),
    ),
  ];
  for (const org of s.orgs) {
    const { channels, source } = effective(prefs, org.id);
    const hooks = s.webhooks.filter((w) => w.org.id === org.id).length;
    rows.push(
      el(
        "tr",
        { dataset: { org: org.id } },
        el("th", { scope: "row", text: org.name }),
        el("td", { class: "mono", text: org.id }),
        el("td", {}, channelWords(channels)),
        el("td", { text: source }),
        el("td", { class: "num", text: hooks }),
        el(
          "td",
          {},
          changeForm(
            org.id,
            org.name,
            channels,
            (list) =>
              configure(
                {
                  org_preferences: [{ org_identifier: org.id, operation: "REPLACE", preferences: [{ event_type: EVENT, channels: list }] }],
                },
                `${org.name}'s channels`,
              ),
            source === "org override"
              ? () =>
                  configure(
                    { org_preferences: [{ org_identifier: org.id, operation: "RESET", reset_events: [EVENT] }] },
                    `${org.name}: back to the cluster value`,
                  )
              : null,
          ),
        ),
      ),
    );
  }
  return rows;
}

function activeList(scenarios) {
  if (scenarios.active.length === 0) return [el("li", { class: "muted", text: "None: every call behaves normally." })];
  return scenarios.active.map((a) =>
    el(
      "li",
      {},
      el("strong", { text: a.name }),
      ` (${a.source}) · `,
      `${a.rules.reduce((n, r) => n + r.hits, 0)} hits`,
      a.description ? el("div", { class: "hint", text: a.description }) : null,
    ),
  );
}

async function load() {
  const [s, scenarios, c, inbox, journal] = await Promise.all([
    state(),
    admin("GET", "/scenarios"),
    admin("GET", "/clock"),
    admin("GET", "/inbox?limit=1"),
    admin("GET", "/requests?limit=1"),
  ]);
  retentionDays = s.settings.retention_days;
  setClock(c);
  $("facts").replaceChildren(
    ...facts([
      ["Namespace", namespace],
      ["Release", s.settings.release],
      ["Cloud", s.settings.cloud.toUpperCase()],
      ["Retention", `${s.settings.retention_days} days`],
      ["Webhooks per org", s.settings.webhooks_per_org],
      ["Delivery tries", String(s.settings.delivery_attempts)],
    ]),
  );
  $("counts").replaceChildren(
    ...facts([
      ["Orgs", number(s.orgs.length)],
      ["Users", number(s.users.length)],
      ["Webhooks", el("a", { href: pageUrl("webhooks"), text: number(s.webhooks.length) })],
      ["Tokens", number(s.tokens)],
      ["History jobs", el("a", { href: pageUrl("history"), text: number(s.history_jobs) })],
      ["Inbox messages", el("a", { href: pageUrl("inbox"), text: number(inbox.total) })],
      ["Journal requests", el("a", { href: pageUrl("requests"), text: journal.enabled ? number(journal.total) : "off" })],
    ]),
  );
  $("orgs").tBodies[0].replaceChildren(...orgRows(s));
  $("active-scenarios").replaceChildren(...activeList(scenarios));
  $("clock-retention").textContent = `Advance ${retentionDays + 1} days (past retention)`;
}

void start(async () => {
  $("clock-advance").addEventListener(
    "submit",
    guarded(async (e) => {
      e.preventDefault();
      await moveClock({ advance_ms: Number($("advance-amount").value) * Number($("advance-unit").value) });
    }),
  );
  $("clock-retention").addEventListener(
    "click",
    guarded(() => moveClock({ advance_ms: (retentionDays + 1) * DAY })),
  );
  $("clock-freeze").addEventListener(
    "click",
    guarded(() => moveClock({ freeze: !clock?.frozen })),
  );
  $("reset").addEventListener(
    "click",
    guarded(async () => {
      if (!confirm(`Reset namespace "${namespace}" to its fixtures? Webhooks, history, inbox and journal go.`)) return;
      await admin("POST", "/reset", { namespace });
      toast(`Namespace ${namespace} is back to its fixtures.`);
      await load();
    }),
  );
  setInterval(showClock, 1000);
  const reload = debounce(load, 400);
  on("clock", setClock);
  on("reset", reload);
  on("scenario", reload);
  on("job", reload);
  await load();
});
