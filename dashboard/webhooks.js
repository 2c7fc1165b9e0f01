// Webhooks: every org's webhooks (POST /webhooks/search), the create and edit form (POST
// /webhooks/create, /webhooks/{id}/update), Validate (POST /system/communication-channels/validate)
// with each step as it came back, and Fire delivery (POST /_emulator/deliveries) followed live
// through the event stream: PENDING → RETRY → SUCCESS / FAILED.
import { $, admin, api, el, guarded, on, pageUrl, start, state, status, time, toast } from "./lib.js";

const EVENT = "LIVEBOARD_SCHEDULE";
let orgs = [];
let webhooks = [];
let prefs = { cluster: [], orgs: {} };
let editing = null;

/** Job updates by job id: a delivery's first tries can come in before its POST has answered. */
const jobEvents = new Map();
const watchers = new Map();
on("job", (data, event) => {
  const seen = { job: data.job, at: event.time };
  const list = jobEvents.get(data.job.id) ?? [];
  list.push(seen);
  jobEvents.set(data.job.id, list);
  if (jobEvents.size > 500) jobEvents.delete(jobEvents.keys().next().value);
  watchers.get(data.job.id)?.(seen);
});
on("reset", () => void guarded(load)());

function channelsOf(orgId) {
  const own = prefs.orgs[orgId]?.find((p) => p.event_type === EVENT);
  return own
    ? { channels: own.channels, source: "its override" }
    : { channels: prefs.cluster.find((p) => p.event_type === EVENT)?.channels ?? [], source: "the cluster value" };
}

// ---------- what a webhook holds

function authText(a) {
  if (!a) return "none";
  if (a.BEARER_TOKEN !== undefined) return `BEARER_TOKEN ${a.BEARER_TOKEN}`;
  if (a.API_KEY) return `API_KEY ${a.API_KEY.key}: ${a.API_KEY.value}`;
  if (a.BASIC_AUTH) return `BASIC_AUTH ${a.BASIC_AUTH.username}:${a.BASIC_AUTH.password}`;
  if (a.OAUTH2) return `OAUTH2 client ${a.OAUTH2.client_id} (secret ${a.OAUTH2.client_secret}) at ${a.OAUTH2.authorization_url}`;
  return JSON.stringify(a);
}

function storageText(d) {
  if (!d) return "none (the file goes in the POST)";
  const s3 = d.storage_config.aws_s3_config;
  if (s3) {
    return `AWS_S3 bucket ${s3.bucket_name} (${s3.region}), role ${s3.role_arn}, external id ${s3.external_id ?? "—"}, prefix ${s3.path_prefix ?? "webhooks"}`;
  }
  const gcs = d.storage_config.gcp_gcs_config;
  if (gcs)
    return `GCP_GCS bucket ${gcs.bucket_name}, service account ${gcs.service_account_email}, prefix ${gcs.path_prefix ?? "webhooks"}`;
  return JSON.stringify(d);
}

function config(w) {
  const rows = [
    ["URL", el("span", { class: "mono", text: w.url })],
    ["Description", w.description ?? "—"],
    ["Events", w.events.join(", ")],
    ["Authentication", authText(w.authentication)],
    [
      "Signature",
      w.signature_verification
        ? `${w.signature_verification.type} in ${w.signature_verification.header}, secret ${w.signature_verification.secret}`
        : "none",
    ],
    ["Storage", storageText(w.storage_destination)],
    ["Headers", w.additional_headers?.length ? w.additional_headers.map((h) => `${h.key}: ${h.value}`).join("; ") : "none"],
    [
      "URL parameters",
      w.url_params && Object.keys(w.url_params).length
        ? Object.entries(w.url_params)
            .map(([k, v]) => `${k}=${v}`)
            .join("&")
        : "none",
    ],
    ["Created", el("span", {}, time(w.creation_time_in_millis), ` by ${w.created_by.name}`)],
    ["Modified", el("span", {}, time(w.modification_time_in_millis), ` by ${w.last_modified_by.name}`)],
  ];
  return el("dl", { class: "config" }, ...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)]));
}

// ---------- validate

function stepItem(d) {
  const info = d.aws_s3_info ?? d.gcp_gcs_info;
  return el(
    "li",
    { dataset: { step: d.validation_step } },
    el("strong", { text: d.validation_step }),
    " ",
    status(d.status),
    d.http_status !== null ? ` HTTP ${d.http_status}` : "",
    info
      ? el(
          "dl",
          { class: "config" },
          el("dt", { text: "Bucket" }),
          el("dd", { class: "mono", text: info.bucket_name }),
          el("dt", { text: "Object key" }),
          el("dd", { class: "mono", text: info.object_key }),
          el("dt", { text: "File" }),
          el("dd", { class: "mono", text: info.file_name }),
        )
      : null,
    d.error_message ? el("p", { class: "error step-error", text: d.error_message }) : null,
  );
}

async function validate(w, out, button) {
  button.disabled = true;
  out.replaceChildren(el("p", { class: "muted", text: "Validating…" }));
  try {
    const r = await api(
      "POST",
      "/system/communication-channels/validate",
      { channel_type: "WEBHOOK", channel_identifier: w.id, event_type: EVENT },
      w.org.id,
    );
    out.replaceChildren(
      el("p", { class: "result" }, "Result: ", status(r.result_code), " · job ", el("span", { class: "mono", text: r.job_id })),
      el("ol", { class: "steps" }, r.details.map(stepItem)),
    );
  } catch (err) {
    out.replaceChildren(el("p", { class: "error", text: err.message }));
  } finally {
    button.disabled = false;
  }
}

// ---------- fire a delivery

/** One state of a delivery's job, at the emulator-clock time the event stream reported it. */
function timelineItem({ job, at }) {
  return el(
    "li",
    { dataset: { status: job.status } },
    status(job.status),
    ` try ${job.try_count} · `,
    time(at),
    job.detail ? el("div", { class: "hint", text: job.detail }) : null,
  );
}

async function fire(w, form, out) {
  const button = form.querySelector("button");
  button.disabled = true;
  out.replaceChildren();
  try {
    const job = await admin("POST", "/deliveries", {
      channel_identifier: w.id,
      org_identifier: w.org.id,
      schedule_name: form.elements.schedule.value || "Weekly Sales Review",
    });
    const head = el(
      "p",
      {},
      "Job ",
      el("span", { class: "mono", text: job.id }),
      " · ",
      el("a", { href: pageUrl("history", { channel: w.id }), text: "history" }),
    );
    const list = el("ol", { class: "timeline", "aria-live": "polite" });
    out.replaceChildren(head, list);
    let last = "";
    const show = (seen) => {
      const j = seen.job;
      const key = `${j.status}/${j.try_count}`;
      if (key === last) return;
      last = key;
      list.append(timelineItem(seen));
      if (j.status === "SUCCESS" || j.status === "FAILED") {
        watchers.delete(job.id);
        button.disabled = false;
        out.dataset.final = j.status;
      }
    };
    out.dataset.job = job.id;
    show({ job, at: job.creation_time_in_millis });
    watchers.set(job.id, show);
    for (const seen of jobEvents.get(job.id) ?? []) show(seen);
  } catch (err) {
    out.replaceChildren(el("p", { class: "error", text: err.message }));
    button.disabled = false;
  }
}

// ---------- the list

function card(w) {
  const validation = el("div", { class: "validation", "aria-live": "polite" });
  const validateButton = el("button", { type: "button", class: "primary", text: "Validate" });
  validateButton.addEventListener("click", () => void validate(w, validation, validateButton));
  const delivery = el("div", { class: "delivery" });
  const fireForm = el(
    "form",
    { class: "row" },
    el("label", { for: `schedule-${w.id}`, text: "Schedule" }),
    el("input", { id: `schedule-${w.id}`, name: "schedule", value: "Weekly Sales Review" }),
    el("button", { type: "submit", text: "Fire delivery" }),
  );
  fireForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void fire(w, fireForm, delivery);
  });
  const titleId = `wh-title-${w.id}`;
  return el(
    "article",
    { class: "card webhook", dataset: { webhook: w.id, name: w.name }, "aria-labelledby": titleId },
    el(
      "header",
      {},
      el("h3", { id: titleId, text: w.name }),
      status(w.status),
      el("span", { class: "mono muted", text: w.id }),
      el("button", { type: "button", text: "Edit", "aria-label": `Edit ${w.name}`, onclick: () => openEditor(w) }),
      el("button", {
        type: "button",
        class: "danger",
        text: "Delete",
        "aria-label": `Delete ${w.name}`,
        onclick: guarded(() => remove(w)),
      }),
    ),
    config(w),
    el(
      "div",
      {},
      el("section", { class: "panel", "aria-label": `Validate ${w.name}` }, el("h4", { text: "Validate" }), validateButton, validation),
      el(
        "section",
        { class: "panel", "aria-label": `Fire a delivery to ${w.name}` },
        el("h4", { text: "Fire a Liveboard schedule delivery" }),
        fireForm,
        delivery,
      ),
    ),
  );
}

async function remove(w) {
  if (!confirm(`Delete webhook "${w.name}"? Its history stays until retention expires it.`)) return;
  await api("POST", "/webhooks/delete", { webhook_identifiers: [w.id] }, w.org.id);
  toast(`Deleted ${w.name}.`);
  await load();
}

function render() {
  const sections = orgs.map((org) => {
    const mine = webhooks.filter((w) => w.org.id === org.id);
    const { channels, source } = channelsOf(org.id);
    const enabled = channels.includes("WEBHOOK");
    return el(
      "section",
      { class: "org-section", dataset: { org: org.id }, "aria-label": `Org ${org.name}` },
      el("h2", {}, `${org.name} `, el("span", { class: "muted", text: `org ${org.id}` })),
      el(
        "p",
        { class: "hint" },
        "WEBHOOK channel: ",
        el("span", { class: `status status-${enabled ? "enabled" : "disabled"}`, text: enabled ? "on" : "off" }),
        ` (${source}). `,
        enabled ? "" : el("a", { href: pageUrl(""), text: "Change it on the Overview" }),
        " ",
        el("button", { type: "button", class: "link", text: `New webhook in ${org.name}`, onclick: () => openEditor(null, org.id) }),
      ),
      mine.length ? mine.map(card) : el("p", { class: "muted", text: "No webhook in this org." }),
    );
  });
  $("webhook-list").replaceChildren(...sections);
}

async function load() {
  const [s, found] = await Promise.all([state(), api("POST", "/webhooks/search", { record_size: 1000 })]);
  orgs = s.orgs;
  prefs = s.preferences;
  webhooks = found.webhooks;
  render();
}

// ---------- the create / edit form

const f = (name) => $("webhook-form").elements.namedItem(name);
const val = (name) => String(f(name).value).trim();

function showDependents() {
  const controls = { auth: val("auth"), storage: val("storage"), sign: f("sign").checked ? "on" : "" };
  for (const node of $("webhook-form").querySelectorAll("[data-show]")) {
    const [key, values] = node.dataset.show.split(":");
    node.hidden = !values.split(" ").includes(controls[key]);
  }
}

function lines(text, sep) {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const at = l.indexOf(sep);
      if (at <= 0) throw new Error(`"${l}" is not ${sep === ":" ? "Name: value" : "name=value"}.`);
      return [l.slice(0, at).trim(), l.slice(at + 1).trim()];
    });
}

function authType(a) {
  return a ? (["BEARER_TOKEN", "API_KEY", "BASIC_AUTH", "OAUTH2"].find((k) => a[k] !== undefined) ?? "") : "";
}

function openEditor(w, orgId) {
  editing = w;
  const form = $("webhook-form");
  form.reset();
  $("webhook-error").textContent = "";
  $("webhook-dialog-title").textContent = w ? `Edit ${w.name}` : "New webhook";
  $("webhook-submit").textContent = w ? "Save changes" : "Create webhook";
  $("wh-secret-hint").hidden = !w;
  const org = f("org");
  org.replaceChildren(...orgs.map((o) => el("option", { value: o.id, text: `${o.name} (${o.id})` })));
  org.value = w?.org.id ?? orgId ?? orgs.find((o) => !webhooks.some((x) => x.org.id === o.id))?.id ?? orgs[0]?.id;
  org.disabled = !!w;
  if (w) {
    f("name").value = w.name;
    f("url").value = w.url;
    f("description").value = w.description ?? "";
    f("status").value = w.status;
    const a = w.authentication;
    f("auth").value = authType(a);
    f("apikey-key").value = a?.API_KEY?.key ?? "";
    f("basic-username").value = a?.BASIC_AUTH?.username ?? "";
    f("oauth-url").value = a?.OAUTH2?.authorization_url ?? "";
    f("oauth-client").value = a?.OAUTH2?.client_id ?? "";
    const sig = w.signature_verification;
    f("sign").checked = !!sig;
    f("sign-header").value = sig?.header ?? "";
    const d = w.storage_destination;
    f("storage").value = d?.storage_type ?? "";
    const cfg = d?.storage_config.aws_s3_config ?? d?.storage_config.gcp_gcs_config;
    f("bucket").value = cfg?.bucket_name ?? "";
    f("region").value = cfg?.region ?? "";
    f("role").value = cfg?.role_arn ?? "";
    f("external-id").value = cfg?.external_id ?? "";
    f("service-account").value = cfg?.service_account_email ?? "";
    f("prefix").value = cfg?.path_prefix ?? "";
    f("headers").value = (w.additional_headers ?? []).map((h) => `${h.key}: ${h.value}`).join("\n");
    f("params").value = Object.entries(w.url_params ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("\n");
  }
  showDependents();
  $("webhook-dialog").showModal();
  f("name").focus();
}

/** The authentication object of the form; null when none; undefined when an edit leaves it as stored. */
function authFromForm(before) {
  const type = val("auth");
  if (!type) return null;
  const secret = { BEARER_TOKEN: "bearer", API_KEY: "apikey-value", BASIC_AUTH: "basic-password", OAUTH2: "oauth-secret" }[type];
  const given = val(secret);
  const same =
    before &&
    authType(before) === type &&
    (type !== "API_KEY" || before.API_KEY.key === val("apikey-key")) &&
    (type !== "BASIC_AUTH" || before.BASIC_AUTH.username === val("basic-username")) &&
    (type !== "OAUTH2" || (before.OAUTH2.authorization_url === val("oauth-url") && before.OAUTH2.client_id === val("oauth-client")));
  if (!given) {
    if (same) return undefined;
    throw new Error("Enter the authentication secret: the stored one is shown as *** and cannot be kept when the rest changes.");
  }
  if (type === "BEARER_TOKEN") return { BEARER_TOKEN: given };
  if (type === "API_KEY") return { API_KEY: { key: val("apikey-key"), value: given } };
  if (type === "BASIC_AUTH") return { BASIC_AUTH: { username: val("basic-username"), password: given } };
  return { OAUTH2: { authorization_url: val("oauth-url"), client_id: val("oauth-client"), client_secret: given } };
}

function signatureFromForm(before) {
  if (!f("sign").checked) return null;
  const header = val("sign-header") || "X-TS-Signature";
  const secret = val("sign-secret");
  if (!secret) {
    if (before && before.header === header) return undefined;
    throw new Error("Enter the signing secret: the stored one is shown as ***.");
  }
  return { type: "HMAC_SHA256", header, algorithm: "SHA256", secret };
}

function storageFromForm() {
  const type = val("storage");
  if (!type) return null;
  const prefix = val("prefix") || null;
  if (type === "AWS_S3") {
    return {
      storage_type: type,
      storage_config: {
        aws_s3_config: {
          bucket_name: val("bucket"),
          region: val("region"),
          role_arn: val("role"),
          ...(val("external-id") && { external_id: val("external-id") }),
          path_prefix: prefix,
        },
      },
    };
  }
  return {
    storage_type: type,
    storage_config: { gcp_gcs_config: { bucket_name: val("bucket"), service_account_email: val("service-account"), path_prefix: prefix } },
  };
}

/** The request body: everything for a create; for an edit, what changed (secrets only when typed again). */
function bodyFromForm(w) {
  const headers = lines(f("headers").value, ":").map(([key, value]) => ({ key, value }));
  const params = Object.fromEntries(lines(f("params").value, "="));
  const body = { name: val("name"), url: val("url"), events: [EVENT], status: val("status") };
  if (val("description") || w?.description) body.description = val("description");
  const resets = [];
  const auth = authFromForm(w?.authentication);
  if (auth) body.authentication = auth;
  else if (auth === null && w?.authentication) resets.push("AUTHENTICATION");
  const sig = signatureFromForm(w?.signature_verification);
  if (sig) body.signature_verification = sig;
  else if (sig === null && w?.signature_verification) resets.push("SIGNATURE_VERIFICATION");
  const storage = storageFromForm();
  if (storage && JSON.stringify(storage) !== JSON.stringify(w?.storage_destination)) body.storage_destination = storage;
  else if (!storage && w?.storage_destination) resets.push("STORAGE_DESTINATION");
  if (headers.length || w?.additional_headers?.length) body.additional_headers = headers;
  if (Object.keys(params).length || (w?.url_params && Object.keys(w.url_params).length)) body.url_params = params;
  if (resets.length) body.reset_options = resets;
  return body;
}

async function submit(e) {
  e.preventDefault();
  const form = $("webhook-form");
  const error = $("webhook-error");
  error.textContent = "";
  if (!form.reportValidity()) return;
  const button = $("webhook-submit");
  button.disabled = true;
  try {
    const w = editing;
    const body = bodyFromForm(w);
    if (w) {
      await api("POST", `/webhooks/${encodeURIComponent(w.id)}/update`, body, w.org.id);
      toast(`Saved ${body.name}.`);
    } else {
      const created = await api("POST", "/webhooks/create", body, val("org"));
      toast(`Created ${created.name} (${created.id}).`);
    }
    $("webhook-dialog").close();
    await load();
  } catch (err) {
    error.textContent = err.message;
  } finally {
    button.disabled = false;
  }
}

void start(async () => {
  const form = $("webhook-form");
  form.addEventListener("submit", submit);
  form.addEventListener("change", showDependents);
  $("webhook-cancel").addEventListener("click", () => $("webhook-dialog").close());
  $("new-webhook").addEventListener("click", () => openEditor(null));
  $("wh-use-inbox").addEventListener("click", () => {
    const name =
      val("name")
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, "-")
        .replace(/^-+|-+$/g, "") || "demo";
    f("url").value = `${location.origin}/_emulator/inbox/${name}`;
  });
  await load();
});
