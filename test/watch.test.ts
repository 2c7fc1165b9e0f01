import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createEmulator } from "../src/index.js";
import { call, ROOT, tempDirs } from "./support/index.js";

const dirs = tempDirs("emu-watch-");
afterAll(() => dirs.removeAll());

const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${check.toString().slice(0, 120)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("--watch", () => {
  it("reloads a changed scenario file, keeps the previous version when an edit is invalid and logs where", async () => {
    const dir = dirs.make();
    const file = join(dir, "mine.json");
    writeFileSync(file, JSON.stringify({ name: "mine", rules: [{ match: { hook: "validation.http" }, outcome: { http_status: 500 } }] }));
    const lines: string[] = [];
    const emu = await createEmulator({ watch: true, scenariosDir: dir, log: (l) => lines.push(l) });
    try {
      await call(emu, "POST", "/_emulator/scenarios/mine/activate");
      writeFileSync(file, JSON.stringify({ name: "mine", rules: [{ match: { hook: "validation.http" }, outcome: { http_status: 503 } }] }));
      await until(() => lines.some((l) => l.includes("Reloaded the scenarios: ~mine")));
      const active = (await call(emu, "GET", "/_emulator/scenarios")).body.active;
      expect(active[0].rules[0].outcome).toEqual({ http_status: 503 });
      writeFileSync(file, JSON.stringify({ name: "mine", rules: [{ match: { hook: "validation.htp" }, outcome: {} }] }));
      await until(() => lines.some((l) => l.includes("Kept the previous scenarios")));
      const kept = lines.find((l) => l.includes("Kept the previous scenarios"))!;
      expect(kept).toContain(file);
      expect(kept).toContain("rules[0].match.hook");
      expect((await call(emu, "GET", "/_emulator/scenarios")).body.active[0].rules[0].outcome).toEqual({ http_status: 503 });
      // Once every file is valid again, a new one comes in.
      writeFileSync(file, JSON.stringify({ name: "mine", rules: [] }));
      writeFileSync(join(dir, "second.json"), JSON.stringify({ name: "second", rules: [] }));
      await until(() => lines.some((l) => l.includes("+second")));
    } finally {
      await emu.close();
    }
  });

  it("reloads the fixtures file: namespaces made afterwards start from the new fixtures", async () => {
    const dir = dirs.make();
    const file = join(dir, "fixtures.json");
    const fixtures = JSON.parse(readFileSync(join(ROOT, "fixtures", "fixtures.json"), "utf8"));
    writeFileSync(file, JSON.stringify(fixtures));
    const lines: string[] = [];
    const emu = await createEmulator({ watch: true, fixturesFile: file, log: (l) => lines.push(l) });
    try {
      fixtures.orgs.push({ id: "777777777", name: "addedOrg" });
      writeFileSync(file, JSON.stringify(fixtures));
      await until(() => lines.some((l) => l.includes("Reloaded the fixtures")));
      const state = await call(emu, "GET", "/_emulator/state", undefined, { namespace: "after-reload" });
      expect(state.body.orgs.map((o: { name: string }) => o.name)).toContain("addedOrg");
      writeFileSync(file, "{ broken");
      await until(() => lines.some((l) => l.includes("Kept the previous fixtures")));
      const next = await call(emu, "GET", "/_emulator/state", undefined, { namespace: "after-broken" });
      expect(next.body.orgs.map((o: { name: string }) => o.name)).toContain("addedOrg");
    } finally {
      await emu.close();
    }
  });
});
