// Inbox: what webhooks pointed at /_emulator/inbox/<name> received (and the simulated POSTs to hosts
// the emulator does not call), newest first, live from the event stream: the payload pretty-printed,
// the signature and auth checks, the headers, and the file part to download. Below, the e-mails
// schedule runs sent through the EMAIL channel (GET /_emulator/outbox), live too.
import { $, admin, adminFetch, el, guarded, jsonBlock, number, on, report, start, status, time, toast } from "./lib.js";

const LIMIT = 100;
let shown = 0;

function check(label, value) {
  if (value === null) return el("span", { class: "badge", text: `${label}: none` });
  return el("span", { class: `status status-${value ? "valid" : "invalid"}`, text: `${label} ${value ? "valid" : "invalid"}` });
}

async function download(m) {
  const res = await adminFetch(m.file.url.replace(/^\/_emulator/, ""));
  if (!res.ok) throw new Error(`The file of ${m.id} is gone (${res.status}).`);
  const url = URL.createObjectURL(await res.blob());
  const a = el("a", { href: url, download: m.file.name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function item(m, fresh) {
  const file = m.file
    ? el(
        "p",
        {},
        "File part: ",
        el("span", { class: "mono", text: m.file.name }),
        ` (${m.file.content_type}, ${number(m.file.size)} bytes) `,
        el("button", {
          type: "button",
          text: "Download",
          "aria-label": `Download ${m.file.name} of message ${m.id}`,
          onclick: guarded(() => download(m)),
        }),
      )
    : el("p", { class: "muted", text: "No file part." });
  return el(
    "li",
    { class: fresh ? "new" : "", dataset: { message: m.id, kind: m.kind }, "aria-label": `${m.kind} to ${m.name}` },
    el(
      "div",
      { class: "meta" },
      time(m.received_at),
      el("strong", { text: m.name }),
      el("span", { class: "badge", text: m.kind }),
      m.simulated ? el("span", { class: "status status-simulated", text: "simulated" }) : null,
      m.answered !== null ? el("span", { text: `answered ${m.answered}` }) : null,
      m.error ? el("span", { class: "error", text: m.error }) : null,
      el("span", { class: "signature" }, check("signature", m.signature_valid)),
      check("auth", m.auth_valid),
      m.webhook ? el("span", { class: "muted", text: `webhook ${m.webhook.name}` }) : null,
      m.job_id ? el("span", { class: "mono muted", text: m.job_id }) : null,
    ),
    el("details", { open: fresh || shown < 1 }, el("summary", { text: "Payload" }), jsonBlock(m.payload)),
    el("details", {}, el("summary", { text: `Headers (${m.method} ${m.url})` }), jsonBlock(m.headers)),
    file,
  );
}

const filter = () => $("inbox-filter").value.trim();
const matches = (m, name) => !name || m.name === name || m.webhook?.id === name || m.webhook?.name === name;

function summary() {
  $("inbox-summary").textContent = shown ? `${number(shown)} message${shown === 1 ? "" : "s"}, newest first.` : "Nothing has arrived yet.";
}

async function load() {
  const name = filter();
  const r = await admin("GET", `/inbox${name ? `/${encodeURIComponent(name)}` : ""}?limit=${LIMIT}`);
  shown = 0;
  $("inbox-list").replaceChildren();
  for (const m of r.messages) {
    $("inbox-list").append(item(m, false));
    shown++;
  }
  summary();
}

let mails = 0;
const mailFilter = () => $("outbox-filter").value.trim();
const mailMatches = (m, ident) => !ident || m.schedule.id === ident || m.schedule.name === ident;

function mail(m, fresh) {
  return el(
    "li",
    { class: fresh ? "new" : "", dataset: { mail: m.id }, "aria-label": `e-mail of ${m.schedule.name} to ${m.to.join(", ")}` },
    el(
      "div",
      { class: "meta" },
      time(m.sent_at),
      el("strong", { text: m.subject }),
      el("span", { class: "badge", text: m.org.name }),
      el("span", { class: "muted", text: `to ${m.to.join(", ")}` }),
      el("span", { class: "mono muted", text: `run ${m.run_id}` }),
    ),
    el("details", { open: fresh }, el("summary", { text: "Message" }), el("pre", { class: "json", text: m.text })),
    m.attachment
      ? el(
          "p",
          {},
          "Attachment: ",
          el("span", { class: "mono", text: m.attachment.name }),
          ` (${m.attachment.content_type}, ${number(m.attachment.size)} bytes)`,
        )
      : el("p", { class: "muted", text: "No attachment." }),
  );
}

function mailSummary() {
  $("outbox-summary").textContent = mails
    ? `${number(mails)} e-mail${mails === 1 ? "" : "s"}, newest first.`
    : "No e-mail has been sent yet.";
}

async function loadMails() {
  const ident = mailFilter();
  const r = await admin("GET", `/outbox?limit=${LIMIT}${ident ? `&schedule=${encodeURIComponent(ident)}` : ""}`);
  $("outbox-list").replaceChildren(...r.messages.map((m) => mail(m, false)));
  mails = r.messages.length;
  mailSummary();
}

void start(async () => {
  $("inbox-url").textContent = `${location.origin}/_emulator/inbox/<name>`;
  $("inbox-filter").addEventListener("change", () => void guarded(load)());
  $("inbox-clear").addEventListener(
    "click",
    guarded(async () => {
      const name = filter();
      const r = await admin("DELETE", `/inbox${name ? `/${encodeURIComponent(name)}` : ""}`);
      toast(`Cleared ${r.cleared} message${r.cleared === 1 ? "" : "s"}.`);
      await load();
    }),
  );
  on("inbox", (m) => {
    if (!matches(m, filter())) return;
    $("inbox-list").prepend(item(m, true));
    shown++;
    const list = $("inbox-list");
    while (list.children.length > LIMIT) list.lastElementChild.remove();
    summary();
  });
  $("outbox-filter").addEventListener("change", () => void guarded(loadMails)());
  $("outbox-clear").addEventListener(
    "click",
    guarded(async () => {
      const r = await admin("DELETE", "/outbox");
      toast(`Cleared ${r.cleared} e-mail${r.cleared === 1 ? "" : "s"}.`);
      await loadMails();
    }),
  );
  on("outbox", (m) => {
    if (!mailMatches(m, mailFilter())) return;
    const list = $("outbox-list");
    list.prepend(mail(m, true));
    mails++;
    while (list.children.length > LIMIT) list.lastElementChild.remove();
    mailSummary();
  });
  on("reset", () => void Promise.all([load(), loadMails()]).catch(report));
  await Promise.all([load(), loadMails()]);
});
