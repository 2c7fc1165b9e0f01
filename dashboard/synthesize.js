// Synthesize: the synthesizer's form (POST /_emulator/jobs/synthesize), with a progress bar fed by
// the event stream's `synthesis` events while a large run is stored slice by slice.
import { $, admin, el, fillSelect, number, on, pageUrl, start, state, toast } from "./lib.js";

let webhooks = [];
let retentionDays = 3;
let running = false;
const form = () => $("synth-form");
const value = (name) => form().elements.namedItem(name).value;

function chosen() {
  const org = value("org");
  const channel = value("channel");
  return webhooks.filter((w) => (!org || w.org.id === org) && (!channel || w.id === channel));
}

function estimate() {
  const days = Math.min(Number(value("days")), retentionDays);
  const jobs = Math.round(chosen().length * days * Number(value("runs_per_day")));
  $("synth-estimate").textContent =
    `About ${number(jobs)} jobs for ${chosen().length} webhook${chosen().length === 1 ? "" : "s"} over ${days} day${days === 1 ? "" : "s"} (retention is ${retentionDays} days).`;
}

function channelOptions() {
  const org = value("org");
  fillSelect(
    form().elements.namedItem("channel"),
    webhooks.filter((w) => !org || w.org.id === org).map((w) => [w.id, `${w.name} (${w.org.name})`]),
  );
}

async function run(e) {
  e.preventDefault();
  const button = form().querySelector("button[type=submit]");
  button.disabled = true;
  running = true;
  $("synth-progress").hidden = false;
  $("synth-bar").value = 0;
  $("synth-text").textContent = "Synthesizing…";
  $("synth-result").replaceChildren();
  try {
    const body = {
      days: Number(value("days")),
      runs_per_day: Number(value("runs_per_day")),
      failure_rate: Number(value("failure_rate")),
      retry_rate: Number(value("retry_rate")),
      ...(value("org") && { org_identifier: value("org") }),
      ...(value("channel") && { channel_identifier: value("channel") }),
    };
    const r = await admin("POST", "/jobs/synthesize", body);
    const total = r.created.reduce((n, c) => n + c.jobs, 0);
    $("synth-bar").value = 100;
    $("synth-text").textContent = `Done: ${number(total)} jobs stored.`;
    $("synth-result").replaceChildren(
      el(
        "ul",
        {},
        r.created.map((c) =>
          el("li", {}, el("a", { href: pageUrl("history", { channel: c.channel_id }), text: c.channel_name }), `: ${number(c.jobs)} jobs`),
        ),
      ),
      el("p", {}, el("a", { href: pageUrl("history"), text: "See them in the history" })),
    );
    toast(`Synthesized ${number(total)} jobs.`);
  } catch (err) {
    $("synth-text").textContent = "";
    $("synth-result").replaceChildren(el("p", { class: "error", role: "alert", text: err.message }));
  } finally {
    running = false;
    button.disabled = false;
  }
}

void start(async () => {
  const s = await state();
  webhooks = s.webhooks;
  retentionDays = s.settings.retention_days;
  fillSelect(
    form().elements.namedItem("org"),
    s.orgs.map((o) => [o.id, o.name]),
  );
  channelOptions();
  form().elements.namedItem("org").addEventListener("change", channelOptions);
  form().addEventListener("input", estimate);
  form().addEventListener("change", estimate);
  form().addEventListener("submit", run);
  on("synthesis", (p) => {
    if (!running) return;
    $("synth-bar").value = Math.min(100, Math.round((p.done / Math.max(1, p.expected)) * 100));
    $("synth-text").textContent = `${number(p.done)} of about ${number(p.expected)} jobs stored (${p.channel_name}).`;
  });
  estimate();
});
