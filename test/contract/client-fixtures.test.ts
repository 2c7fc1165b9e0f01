/**
 * Contract tests beyond TypeScript: the requests other clients really send (the generated Python
 * SDK, thoughtspot_rest_api_v1's TSRestApiV2, cs_tools and ts_admin), recorded by hand as
 * fixtures in test/contract/fixtures/*.json — exact bodies and headers — and replayed over a real
 * socket against a fresh emulator per file; every answer is checked against what a cluster gives
 * and, where the fixture names one, against the official client's model.
 */

import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/index.js";
import { checkModel } from "./model-check.js";

interface Step {
  name: string;
  request: { method: "GET" | "POST"; path: string; headers: Record<string, string>; body_text?: string };
  expect: {
    status: number;
    /** An official-client model (or `Array<Model>`) the body must fit. */
    model?: string;
    /** A partial match; "<string>", "<number>" stand for any value of that type. */
    json?: unknown;
    /** The ThoughtSpot error envelope (live shape): its code and its one message. */
    error?: { code: number; debug: string };
    text_contains?: string[];
    set_cookie?: string;
  };
  /** Values later steps use as {{name}}: a dotted path of the JSON body, or `cookie:<name>`. */
  save?: Record<string, string>;
}

interface Fixture {
  client: string;
  how_it_sends: string;
  steps: Step[];
}

const DIR = new URL("./fixtures/", import.meta.url);
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

/** One raw HTTP exchange: the headers and body bytes exactly as given. */
function send(
  base: string,
  step: Step["request"],
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const url = new URL(step.path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: step.method, headers: step.headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(step.body_text);
  });
}

/** Expected JSON with "<string>"/"<number>" placeholders as matchers. */
function matcher(v: unknown): unknown {
  if (v === "<string>") return expect.any(String);
  if (v === "<number>") return expect.any(Number);
  if (Array.isArray(v)) return v.map(matcher);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, matcher(x)]));
  return v;
}

const fill = (text: string, vars: Map<string, string>) =>
  text.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const v = vars.get(name);
    if (v === undefined) throw new Error(`fixture uses {{${name}}} before a step saved it`);
    return v;
  });

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 11, log: () => {} });
});
afterAll(async () => {
  await emu?.stop();
});

describe.each(FILES)("%s", (file) => {
  const fixture = JSON.parse(readFileSync(new URL(file, DIR), "utf8")) as Fixture;
  const vars = new Map<string, string>();

  beforeAll(async () => {
    // Each fixture file starts from the fixtures, like a fresh cluster.
    await emu.reset();
  });

  it.each(fixture.steps.map((s, i) => [`${i + 1}. ${s.name}`, s] as const))("%s", async (_label, step) => {
    const req = {
      ...step.request,
      headers: Object.fromEntries(Object.entries(step.request.headers).map(([k, v]) => [k, fill(v, vars)])),
      ...(step.request.body_text !== undefined && { body_text: fill(step.request.body_text, vars) }),
    };
    const res = await send(emu.url, req);
    const want = step.expect;
    expect(res.status, res.text).toBe(want.status);
    const json = res.text ? JSON.parse(res.text) : undefined;
    if (want.status === 204) expect(res.text).toBe("");
    if (want.model) expect(checkModel(json, want.model)).toEqual([]);
    if (want.json !== undefined) expect(json).toMatchObject(matcher(want.json) as object);
    if (want.error) {
      expect(json.error.message.debug.code).toBe(want.error.code);
      expect(JSON.parse(json.error.message.debug.debug)).toEqual([want.error.debug]);
    }
    for (const part of want.text_contains ?? []) expect(res.text).toContain(part);
    const setCookie = [res.headers["set-cookie"] ?? []].flat();
    if (want.set_cookie)
      expect(
        setCookie.some((c) => new RegExp(want.set_cookie!).test(c)),
        setCookie.join(" | "),
      ).toBe(true);
    for (const [name, from] of Object.entries(step.save ?? {})) {
      const cookie = /^cookie:(\w+)$/.exec(from)?.[1];
      const value = cookie
        ? setCookie.map((c) => new RegExp(`^${cookie}=([^;]+)`).exec(c)?.[1]).find(Boolean)
        : from.split(".").reduce<any>((o, k) => o?.[k], json);
      expect(typeof value, `step saves ${name} from ${from}`).toBe("string");
      vars.set(name, value);
    }
  });

  it("says which client it records and how that client sends", () => {
    expect(fixture.client.length).toBeGreaterThan(10);
    expect(fixture.how_it_sends.length).toBeGreaterThan(40);
  });
});
