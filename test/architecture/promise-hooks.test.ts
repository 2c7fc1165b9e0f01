import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const INDEX = fileURLToPath(new URL("../../src/index.ts", import.meta.url));

/**
 * Whether Node's promise init hooks are on once an emulator (and its dashboard pages) exist: asked
 * in a child process, through Node's internals (--expose-internals), before and after.
 */
function promiseHooks(): { before: boolean; after: boolean } {
  const script = `
    import { createRequire } from "node:module";
    const hooks = createRequire(import.meta.url)("internal/async_hooks");
    const before = hooks.initHooksExist();
    const { createEmulator } = await import(${JSON.stringify(INDEX)});
    const emu = await createEmulator({ inMemory: true, log: () => {} });
    const res = await emu.app.request("/_emulator/ui/");
    await res.text();
    console.log(JSON.stringify({ before, after: hooks.initHooksExist(), status: res.status }));
    await emu.close();
  `;
  const child = spawnSync(process.execPath, ["--expose-internals", "--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(child.status, child.stderr).toBe(0);
  const out = JSON.parse(child.stdout.trim().split("\n").at(-1)!);
  expect(out.status).toBe(200);
  return { before: out.before, after: out.after };
}

describe("the cost every request pays", () => {
  it("stays free of Node's promise hooks once the dashboard's pages are rendered (hono/jsx's AsyncLocalStorage turned them on for good)", () => {
    expect(promiseHooks()).toEqual({ before: false, after: false });
  });
});
