/**
 * Hostile webhook receivers during POST /system/communication-channels/validate, against the real
 * CLI (`--validation-timeout-ms 1000`) and real loopback receivers (node:http / node:net):
 *   (a) accepts and never answers (also once with the default 5000 ms timeout),
 *   (b) trickles one byte per 200 ms forever: in the body after a 200 / 503 status line, or in the headers,
 *   (c) answers 200 with a 10 MB body,
 *   (d) redirects to itself forever (302),
 *   (e) accepts the TCP connection and resets it at once.
 * The contract: any 2xx within the timeout = SUCCESS, anything else (or nothing) = FAILED, redirects
 * are not followed, the body is not read. The validation answers 200 within timeout + 1 s, the
 * emulator lets go of the receiver's connection, its RSS does not jump, and other API calls made
 * meanwhile keep answering in < 100 ms p99.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CliProcess,
  closeReceivers,
  createWebhookHttp,
  httpLogin,
  killAll,
  MB,
  percentile,
  type Receiver,
  rssOf,
  sleep,
  startCli,
  startReceiver,
  startTcpReceiver,
  tryHttp,
} from "../support/index.js";

const B = "/api/rest/2.0";
const TIMEOUT = 1000;

const timers = new Set<NodeJS.Timeout>();

/** Writes one byte every 200 ms until the socket goes away. */
function trickle(write: (b: string) => boolean | undefined, onGone: (cb: () => void) => void) {
  const t = setInterval(() => {
    try {
      write("x");
    } catch {
      clearInterval(t);
    }
  }, 200);
  timers.add(t);
  onGone(() => {
    clearInterval(t);
    timers.delete(t);
  });
}

interface Emu {
  proc: CliProcess;
  base: string;
  token: string;
  hookId: string;
}

async function startEmu(args: string[]): Promise<Emu> {
  const proc = startCli(["--port", "0", "--in-memory", "--seed", "7", ...args]);
  const base = await proc.ready();
  const token = await httpLogin(base);
  const created = await createWebhookHttp(base, token, { name: "hostile", url: "http://127.0.0.1:9/none" });
  return { proc, base, token, hookId: created.id };
}

interface Run {
  status: number;
  body: any;
  text: string;
  ms: number;
  /** Latencies of the API calls made while the validation was pending. */
  latencies: number[];
  probeFailures: string[];
  rssBefore: number;
  rssPeak: number;
  doneAt: number;
}

/** Points the webhook at the receiver, validates, and probes other endpoints until the validation answers. */
async function validateAgainst(emu: Emu, url: string): Promise<Run> {
  const upd = await tryHttp(emu.base, `${B}/webhooks/${emu.hookId}/update`, { url }, emu.token);
  expect(upd.status, upd.text).toBe(204);
  const pid = emu.proc.child.pid!;
  const rssBefore = rssOf(pid)!;
  let rssPeak = rssBefore;
  let done = false;
  const sampler = setInterval(() => {
    const v = rssOf(pid);
    if (v !== null && v > rssPeak) rssPeak = v;
  }, 10);
  const started = performance.now();
  const validation = tryHttp(
    emu.base,
    `${B}/system/communication-channels/validate`,
    { channel_type: "WEBHOOK", channel_identifier: emu.hookId, event_type: "LIVEBOARD_SCHEDULE" },
    emu.token,
  ).then((res) => {
    done = true;
    return { res, ms: performance.now() - started, at: performance.now() };
  });
  const latencies: number[] = [];
  const probeFailures: string[] = [];
  const probe = async (i: number) => {
    await sleep(20); // let the validation reach the receiver first
    while (!done) {
      const t = performance.now();
      const res =
        i % 2 === 0
          ? await tryHttp(emu.base, `${B}/webhooks/search`, {}, emu.token)
          : await tryHttp(emu.base, `${B}/auth/token/validate`, { token: emu.token }, emu.token);
      if (done) break; // the last sample may overlap the answer of the validation itself
      latencies.push(performance.now() - t);
      if (res.status !== 200) probeFailures.push(`${res.status} ${res.text.slice(0, 200)}`);
      await sleep(5);
    }
  };
  const [{ res, ms, at }] = await Promise.all([validation, probe(0), probe(1), probe(2), probe(3)]);
  clearInterval(sampler);
  const p99 = latencies.length ? `${percentile(latencies, 99).toFixed(1)} ms` : "n/a";
  console.log(
    `[hostile] ${url}: validate ${res.status} in ${Math.round(ms)} ms (${JSON.stringify(res.body?.details?.[0]?.error_message ?? null)}), ${latencies.length} concurrent calls p99 ${p99}, RSS peak +${((rssPeak - rssBefore) / MB).toFixed(1)} MB`,
  );
  return { ...res, ms, latencies, probeFailures, rssBefore, rssPeak, doneAt: at };
}

function httpStep(run: Run) {
  expect(run.status, run.text).toBe(200);
  expect(run.body.details).toHaveLength(1);
  return run.body.details[0] as { validation_step: string; status: string; http_status: number | null; error_message: string | null };
}

/** Other calls kept answering while the validation was pending. */
function expectResponsive(run: Run, minSamples = 10) {
  expect(run.probeFailures).toEqual([]);
  expect(run.latencies.length, "API calls made while the validation was pending").toBeGreaterThanOrEqual(minSamples);
  if (run.latencies.length === 0) return;
  const p99 = percentile(run.latencies, 99);
  expect(p99, `p99 of ${run.latencies.length} concurrent API calls (max ${Math.round(Math.max(...run.latencies))} ms)`).toBeLessThan(100);
}

/**
 * The emulator closed the connection that carried its test POST soon after answering: it neither
 * keeps reading an endless body nor keeps a never-answered request open. (Node's fetch may open a
 * spare idle connection after an abort; those are checked once at the end, after its keep-alive.)
 */
async function expectLetGo(r: Receiver, withinMs = 2000) {
  const deadline = performance.now() + withinMs;
  while (r.open() > 0 && performance.now() < deadline) await sleep(20);
  expect(r.open(), `connections that carried the test POST still open at the receiver ${withinMs} ms after the validation answered`).toBe(
    0,
  );
  expect(r.closed.length).toBeGreaterThan(0);
}

let emu: Emu;
const receivers: Receiver[] = [];
async function receiver(p: Promise<Receiver>): Promise<Receiver> {
  const r = await p;
  receivers.push(r);
  return r;
}

beforeAll(async () => {
  emu = await startEmu(["--validation-timeout-ms", String(TIMEOUT)]);
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  await closeReceivers();
  await killAll();
});

describe(`hostile receivers, --validation-timeout-ms ${TIMEOUT}`, () => {
  it("(a) accepts and never answers → FAILED after the timeout, no status", async () => {
    const r = await receiver(startReceiver({ onRequest: () => {} }));
    const run = await validateAgainst(emu, r.url);
    const step = httpStep(run);
    expect(step).toMatchObject({ validation_step: "HTTP_CONNECTION_CHECK", status: "FAILED", http_status: null });
    expect(step.error_message).toMatch(/timed out/i);
    expect(run.body.result_code).toBe("FAILED");
    expect(run.ms).toBeGreaterThanOrEqual(TIMEOUT - 50);
    expect(run.ms).toBeLessThan(TIMEOUT + 1000);
    expect(r.hits).toBe(1);
    expectResponsive(run);
    await expectLetGo(r);
  });

  it("(a') a raw TCP peer that reads the request and never writes → FAILED after the timeout", async () => {
    const r = await receiver(startTcpReceiver((s) => s.resume()));
    const run = await validateAgainst(emu, r.url);
    expect(httpStep(run)).toMatchObject({ status: "FAILED", http_status: null });
    expect(run.ms).toBeGreaterThanOrEqual(TIMEOUT - 50);
    expect(run.ms).toBeLessThan(TIMEOUT + 1000);
    expectResponsive(run);
    await expectLetGo(r);
  });

  it("(b) 200 then a body trickling one byte per 200 ms forever → SUCCESS (a 2xx arrived in time; the body is not read)", async () => {
    const r = await receiver(
      startReceiver({
        onRequest: (_req, res) => {
          res.writeHead(200, { "content-type": "text/plain" });
          res.flushHeaders();
          trickle(
            (b) => res.write(b),
            (cb) => res.on("close", cb),
          );
        },
      }),
    );
    const run = await validateAgainst(emu, r.url);
    expect(httpStep(run)).toMatchObject({ status: "SUCCESS", http_status: 200, error_message: null });
    expect(run.ms).toBeLessThan(TIMEOUT + 1000);
    expectResponsive(run, 0);
    // The emulator must not keep reading the endless body.
    await expectLetGo(r);
  });

  it("(b') 503 then a body trickling forever → FAILED with http_status 503 within the timeout", async () => {
    const r = await receiver(
      startReceiver({
        onRequest: (_req, res) => {
          res.writeHead(503, { "content-type": "text/plain" });
          res.flushHeaders();
          trickle(
            (b) => res.write(b),
            (cb) => res.on("close", cb),
          );
        },
      }),
    );
    const run = await validateAgainst(emu, r.url);
    expect(httpStep(run)).toMatchObject({ status: "FAILED", http_status: 503 });
    expect(run.ms).toBeLessThan(TIMEOUT + 1000);
    await expectLetGo(r);
  });

  it("(b'') headers trickling one byte per 200 ms forever → FAILED after the timeout, no status", async () => {
    const r = await receiver(
      startTcpReceiver((s) => {
        s.resume();
        s.write("HTTP/1.1 200 OK\r\nX-Slow: ");
        trickle(
          (b) => s.write(b),
          (cb) => s.on("close", cb),
        );
      }),
    );
    const run = await validateAgainst(emu, r.url);
    expect(httpStep(run)).toMatchObject({ status: "FAILED", http_status: null });
    expect(run.ms).toBeGreaterThanOrEqual(TIMEOUT - 50);
    expect(run.ms).toBeLessThan(TIMEOUT + 1000);
    expectResponsive(run);
    await expectLetGo(r);
  });

  it("(c) 200 with a 10 MB body → SUCCESS, the body is not buffered (RSS +< 50 MB)", async () => {
    const chunk = Buffer.alloc(64 * 1024, "z");
    const r = await receiver(
      startReceiver({
        onRequest: (_req, res) => {
          res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(10 * MB) });
          let sent = 0;
          const pump = () => {
            while (sent < 10 * MB) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once("drain", pump);
            }
            res.end();
          };
          pump();
        },
      }),
    );
    const run = await validateAgainst(emu, r.url);
    expect(httpStep(run)).toMatchObject({ status: "SUCCESS", http_status: 200, error_message: null });
    expect(run.ms).toBeLessThan(TIMEOUT + 1000);
    // Keep sampling a little after the answer: a body still being read in the background would show here.
    await sleep(500);
    const after = rssOf(emu.proc.child.pid!)!;
    const jump = Math.max(run.rssPeak, after) - run.rssBefore;
    expect(jump, `RSS jumped ${(jump / MB).toFixed(1)} MB`).toBeLessThan(50 * MB);
    await expectLetGo(r);
  });

  it("(d) redirects to itself forever → FAILED with http_status 302, the redirect is not followed", async () => {
    const r = await receiver(
      startReceiver({
        onRequest: (req, res) => {
          res.writeHead(302, { location: `http://${req.headers.host}${req.url}` });
          res.end();
        },
      }),
    );
    const run = await validateAgainst(emu, r.url);
    expect(httpStep(run)).toMatchObject({ status: "FAILED", http_status: 302 });
    expect(run.body.result_code).toBe("FAILED");
    expect(run.ms).toBeLessThan(TIMEOUT + 1000);
    expect(r.hits).toBe(1);
  });

  it("(e) accepts the TCP connection and resets it at once → FAILED, no status, quickly", async () => {
    const r = await receiver(startTcpReceiver((s) => s.resetAndDestroy()));
    const run = await validateAgainst(emu, r.url);
    const step = httpStep(run);
    expect(step).toMatchObject({ status: "FAILED", http_status: null });
    expect(step.error_message).toBeTruthy();
    expect(run.ms).toBeLessThan(TIMEOUT + 1000);
    expect(r.hits).toBeGreaterThanOrEqual(1);
  });

  it("afterwards the emulator is healthy and, after its keep-alive, holds no connection to any receiver", async () => {
    const health = await tryHttp(emu.base, "/_emulator/health", undefined, undefined, "GET");
    expect(health.status).toBe(200);
    const hooks = await tryHttp(emu.base, `${B}/webhooks/search`, {}, emu.token);
    expect(hooks.status).toBe(200);
    const deadline = performance.now() + 8000;
    const open = () => receivers.reduce((n, r) => n + r.openAll(), 0);
    while (open() > 0 && performance.now() < deadline) await sleep(100);
    expect(open(), "connections from the emulator still open at the receivers 8 s later").toBe(0);
  });
});

describe("hostile receiver with the default validation timeout (5000 ms)", () => {
  it("(a) accepts and never answers → FAILED after 5 s (+< 1 s), other calls unaffected", async () => {
    const slow = await startEmu([]);
    const r = await receiver(startReceiver({ onRequest: () => {} }));
    const run = await validateAgainst(slow, r.url);
    const step = httpStep(run);
    expect(step).toMatchObject({ status: "FAILED", http_status: null });
    expect(step.error_message).toMatch(/5000/);
    expect(run.ms).toBeGreaterThanOrEqual(5000 - 50);
    expect(run.ms).toBeLessThan(6000);
    expectResponsive(run, 50);
    await expectLetGo(r);
    await slow.proc.kill();
  });
});
