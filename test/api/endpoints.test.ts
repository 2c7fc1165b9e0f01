/** The endpoint table (src/api ENDPOINTS) against the operationIds the emulator claims (OPERATION_IDS), and mounted for real. */
import { describe, expect, it } from "vitest";
import { ENDPOINTS } from "../../src/api/index.js";
import { OPERATION_IDS } from "../../src/schemas/operations.js";
import { call, emulator } from "../support/index.js";

const mounted = ENDPOINTS.map((e) => e.operationId as string);

describe("ENDPOINTS and OPERATION_IDS", () => {
  it("mounts every operationId of OPERATION_IDS", () => {
    expect(OPERATION_IDS.filter((id) => !mounted.includes(id))).toEqual([]);
  });

  it("mounts nothing that OPERATION_IDS does not list", () => {
    expect(mounted.filter((id) => !(OPERATION_IDS as readonly string[]).includes(id))).toEqual([]);
  });

  it("mounts each operationId once, each method and path once", () => {
    expect(mounted.filter((id, i) => mounted.indexOf(id) !== i)).toEqual([]);
    const routes = ENDPOINTS.map((e) => `${e.method} ${e.path}`);
    expect(routes.filter((r, i) => routes.indexOf(r) !== i)).toEqual([]);
  });

  it.each(ENDPOINTS.map((e) => [`${e.method} ${e.path}`, e] as const))("%s is routed in the app", async (_route, e) => {
    const emu = await emulator();
    const res = await call(emu, e.method, e.path.replace(/:\w+/g, "x"), e.method === "POST" ? {} : undefined);
    // Unknown API paths answer 400 "No endpoint ..." (the official client cannot read a 404).
    expect(res.text).not.toContain("No endpoint");
    expect(res.status, res.text).toBeLessThan(500);
  });

  it("answers an unknown API path with the 400 the check above tells apart", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/no/such/endpoint", {});
    expect(res.status).toBe(400);
    expect(res.text).toContain("No endpoint");
  });
});
