// The dashboard's shared code: the session (namespace, sign-in, tokens per org, admin token), calls
// to the ThoughtSpot API and the admin routes, the live event stream, and small DOM helpers. Plain
// browser modules served by the emulator: no build step, no CDN. The pages hold no data; every
// datum comes through the same routes a user's code calls, with the same credentials.

const API = "/api/rest/2.0";
const ADMIN = "/_emulator";
const UI = "/_emulator/ui";
const store = window.sessionStorage;

// ---------- the session

const params = new URLSearchParams(location.search);
/** The namespace every call goes to: ?namespace=, else the last one opened in this tab, else "default". */
export const namespace = params.get("namespace") || store.getItem("namespace") || "default";
store.setItem("namespace", namespace);

// An admin token may come in the URL fragment (#admin_token=…): kept for the tab, then dropped from the address bar.
{
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has("admin_token")) {
    store.setItem("adminToken", fragment.get("admin_token") ?? "");
    history.replaceState(null, "", location.pathname + location.search);
  }
}

const readJson = (key) => {
  try {
    return JSON.parse(store.getItem(key) ?? "null");
  } catch {
    return null;
  }
};
const tokenKey = (org) => `token:${namespace}:${org}`;

/** The URL of a dashboard page ("" = overview) in the current namespace. */
export function pageUrl(path, query = {}) {
  const q = new URLSearchParams(query);
  if (namespace !== "default") q.set("namespace", namespace);
  const s = q.toString();
  return `${UI}/${path}${s ? `?${s}` : ""}`;
}

// ---------- calls

/** A failed call: the HTTP status (0 = no answer), the envelope's code and its text. */
export class CallError extends Error {
  constructor(status, message, code = null, body = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** The text of an error answer: the ThoughtSpot envelope (live or spec shape) or the admin routes' `{error}`. */
export function errorText(body, fallback) {
  const m = body?.error?.message;
  const debug = m?.debug?.debug ?? m?.debug;
  if (typeof debug === "string") {
    try {
      const list = JSON.parse(debug);
      if (Array.isArray(list)) return list.join(" ");
    } catch {
      // The spec shape's debug is the text itself.
    }
    return debug;
  }
  if (typeof body?.error === "string") return body.error;
  return fallback;
}

const codeOf = (body) => body?.error?.message?.debug?.code ?? body?.error?.message?.code ?? null;

async function send(url, { method = "GET", body, headers = {} } = {}) {
  const h = { "X-Emulator-Namespace": namespace, ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(url, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new CallError(0, `${method} ${url}: the emulator did not answer (${err.message}). Is it still running?`);
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) throw new CallError(res.status, errorText(json, `${method} ${url} answered ${res.status}.`), codeOf(json), json);
  return json;
}

const adminHeaders = () => {
  const token = store.getItem("adminToken");
  return token ? { "X-Emulator-Admin-Token": token } : {};
};

/** A call to the admin routes (/_emulator…); asks for the admin token when the emulator wants one. */
export async function admin(method, path, body) {
  for (;;) {
    try {
      return await send(`${ADMIN}${path}`, { method, body, headers: adminHeaders() });
    } catch (err) {
      if (!(err instanceof CallError) || err.status !== 401) throw err;
      await connect("admin", store.getItem("adminToken") ? err.message : "");
    }
  }
}

/** A raw fetch of an admin route (a file download, the event stream) with the admin token. */
export function adminFetch(path, init = {}) {
  return fetch(`${ADMIN}${path}`, { ...init, headers: { "X-Emulator-Namespace": namespace, ...adminHeaders(), ...init.headers } });
}

/**
 * A ThoughtSpot API call as `org`'s member: a bearer token of that org (POST /auth/token/full with
 * the signed-in user), signed in again once when the token is no longer valid.
 */
export async function api(method, path, body, org = "0") {
  for (let tries = 0; ; tries++) {
    const token = await tokenFor(org);
    try {
      return await send(`${API}${path}`, { method, body, headers: { Authorization: `Bearer ${token}` } });
    } catch (err) {
      if (!(err instanceof CallError) || err.status !== 401 || tries > 0) throw err;
      store.removeItem(tokenKey(org));
    }
  }
}

async function tokenFor(org) {
  const cached = store.getItem(tokenKey(org));
  if (cached) return cached;
  let problem = "";
  for (;;) {
    const creds = readJson("credentials");
    if (!creds) {
      await connect("user", problem);
      continue;
    }
    try {
      const res = await send(`${API}/auth/token/full`, {
        method: "POST",
        body: { username: creds.username, password: creds.password, org_id: Number(org), validity_time_in_sec: 86_400 },
      });
      store.setItem(tokenKey(org), res.token);
      showWho(creds.username);
      return res.token;
    } catch (err) {
      if (!(err instanceof CallError) || err.status !== 401) throw err;
      store.removeItem("credentials");
      problem = err.message;
    }
  }
}

// ---------- the connect dialog (sign-in and admin token)

let asking = null;

/** Opens the connect dialog for what is missing ("user" and/or "admin"); resolves once it is submitted. */
function connect(need, problem) {
  const dialog = document.getElementById("connect");
  if (!asking) {
    let resolve;
    const promise = new Promise((r) => (resolve = r));
    asking = { promise, resolve, needs: new Set() };
  }
  asking.needs.add(need);
  document.getElementById("connect-user").hidden = !asking.needs.has("user");
  document.getElementById("connect-admin").hidden = !asking.needs.has("admin");
  document.getElementById("connect-error").textContent = problem;
  if (!dialog.open) dialog.showModal();
  const first = asking.needs.has("user") ? "connect-password" : "connect-token";
  document.getElementById(first).focus();
  return asking.promise;
}

function setUpConnect() {
  const form = document.getElementById("connect-form");
  const dialog = document.getElementById("connect");
  // The dialog only closes by connecting: every call waits on it.
  dialog.addEventListener("cancel", (e) => e.preventDefault());
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const needs = asking?.needs ?? new Set();
    if (needs.has("user")) {
      store.setItem("credentials", JSON.stringify({ username: String(data.get("username")), password: String(data.get("password")) }));
    }
    if (needs.has("admin")) store.setItem("adminToken", String(data.get("admin_token")));
    dialog.close();
    const done = asking;
    asking = null;
    done?.resolve();
  });
}

function showWho(username) {
  const who = document.getElementById("who");
  who.replaceChildren(
    username ? `Signed in as ${username} ` : "Not signed in ",
    el("button", {
      type: "button",
      class: "link",
      text: username ? "Sign out" : "Sign in",
      onclick: () => {
        for (const key of Object.keys(store)) if (key.startsWith("token:") || key === "credentials") store.removeItem(key);
        location.reload();
      },
    }),
  );
}

// ---------- the live event stream

const listeners = new Map();
let streaming = false;

/** Calls `fn(data, event)` for every event of `type` of the namespace's stream (GET /_emulator/events). */
export function on(type, fn) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(fn);
  if (!streaming) {
    streaming = true;
    void stream();
  }
}

function setLive(state, text) {
  const live = document.getElementById("live");
  live.dataset.state = state;
  live.querySelector("span").textContent = text;
}

/** The event stream read through fetch (EventSource cannot send the admin token), reconnecting after a pause. */
async function stream() {
  for (let wait = 500; ; wait = Math.min(wait * 2, 5000)) {
    try {
      const res = await adminFetch("/events", { headers: { Accept: "text/event-stream" } });
      if (res.status === 401) {
        await connect("admin", "");
        continue;
      }
      if (!res.ok || !res.body) throw new Error(`answered ${res.status}`);
      setLive("on", "on");
      wait = 500;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let at = buffer.indexOf("\n\n");
        while (at >= 0) {
          dispatch(buffer.slice(0, at));
          buffer = buffer.slice(at + 2);
          at = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // Reconnect below.
    }
    setLive("off", "reconnecting");
    await new Promise((r) => setTimeout(r, wait));
  }
}

function dispatch(block) {
  let type = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) type = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (data.length === 0) return;
  let event;
  try {
    event = JSON.parse(data.join("\n"));
  } catch {
    return;
  }
  for (const fn of listeners.get(type) ?? []) {
    try {
      fn(event.data ?? event, event);
    } catch (err) {
      console.error(err);
    }
  }
}

// ---------- DOM helpers

/**
 * Makes an element: `attrs` are attributes (`class`, `text`, `on<event>` listeners, `dataset`;
 * null/undefined/false are left out), children are nodes or strings (text, never HTML).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = String(v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

export const $ = (id) => document.getElementById(id);

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const compact = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** An emulator-clock instant as a <time> element (local time; ISO in the datetime attribute and tooltip). */
export function time(ms) {
  if (ms === null || ms === undefined) return el("span", { class: "muted", text: "—" });
  const iso = new Date(ms).toISOString();
  return el("time", { datetime: iso, title: iso, text: compact.format(ms) });
}

export const formatTime = (ms) => dateTime.format(ms);

/** A status word in its colour; the word itself carries the meaning (colour is never the only signal). */
export function status(value) {
  return el("span", {
    class: `status status-${String(value)
      .toLowerCase()
      .replace(/[^a-z_]/g, "")}`,
    text: value,
  });
}

/** A value as indented JSON in a <pre>. */
export function jsonBlock(value) {
  return el("pre", { class: "json", text: typeof value === "string" ? value : JSON.stringify(value, null, 2) });
}

export const number = (n) => new Intl.NumberFormat().format(n);

/** A short message in the corner (and for screen readers: the region is a polite live region). */
export function toast(message, kind = "info") {
  const item = el("p", { class: `toast toast-${kind}`, text: message });
  $("toasts").append(item);
  setTimeout(() => item.remove(), kind === "error" ? 10_000 : 5_000);
}

/** An error as a toast, and in the console with its answer. */
export function report(err) {
  console.error(err);
  toast(err instanceof CallError ? err.message : String(err?.message ?? err), "error");
}

/** Runs `fn` and reports what it throws; for event handlers. */
export const guarded =
  (fn) =>
  async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      report(err);
    }
  };

/** Calls `fn` at most once per `ms` (the last call wins), for refreshes driven by live events. */
export function debounce(fn, ms) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => void guarded(fn)(), ms);
  };
}

/** Fills a <select> with options ([value, label] pairs), keeping its current value when it is still there. */
export function fillSelect(select, options, keepFirst = true) {
  const current = select.value;
  const first = keepFirst ? [...select.options].slice(0, 1) : [];
  select.replaceChildren(...first, ...options.map(([value, label]) => el("option", { value, text: label })));
  if ([...select.options].some((o) => o.value === current)) select.value = current;
}

/** The namespace's orgs and webhooks as the admin state view shows them. */
export const state = () => admin("GET", "/state");

// ---------- the frame of every page

/** Sets up the header (namespace picker, sign-in, live indicator, links in this namespace), then runs the page. */
export async function start(page) {
  setUpConnect();
  const input = $("ns");
  input.value = namespace;
  $("ns-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const next = input.value.trim();
    store.setItem("namespace", next);
    const q = new URLSearchParams(location.search);
    if (next === "default") q.delete("namespace");
    else q.set("namespace", next);
    location.search = q.toString();
  });
  for (const a of document.querySelectorAll("nav.pages a")) a.href = pageUrl(a.getAttribute("href").slice(UI.length + 1));
  const creds = readJson("credentials");
  showWho(creds?.username ?? "");
  setLive("off", "connecting");
  try {
    await page();
  } catch (err) {
    report(err);
  }
  admin("GET", "/namespaces")
    .then((r) => $("ns-list").replaceChildren(...r.namespaces.map((n) => el("option", { value: n }))))
    .catch(() => {});
}
