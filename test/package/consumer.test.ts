/**
 * The package as a consumer gets it: `npm pack`, the tarball installed into a scratch project,
 * a consumer file type-checked under a strict tsconfig (noUncheckedIndexedAccess,
 * exactOptionalPropertyTypes, no skipLibCheck) with zero errors, then run, and the bin started.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDirs } from "../support/index.js";

const dirs = tempDirs("emu-consumer-");
afterAll(() => dirs.removeAll());

const ourVersion = (pkg: string) => JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version as string;
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, stdio: "pipe", encoding: "utf8" });

let project = "";
let tarball = "";
let installMs = 0;

beforeAll(() => {
  const out = dirs.make();
  npm(["run", "build", "--silent"], ROOT);
  const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", out], ROOT))[0];
  tarball = join(out, packed.filename);
  project = join(out, "consumer");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  const started = Date.now();
  npm(
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      tarball,
      `typescript@${ourVersion("typescript")}`,
      `@types/node@${ourVersion("@types/node")}`,
    ],
    project,
  );
  installMs = Date.now() - started;
});

describe("the packed package", () => {
  it("ships the build, the scenarios, the fixtures, the dashboard's scripts, the README and the LICENSE, and nothing of the tests", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean);
    for (const f of [
      "package/dist/index.js",
      "package/dist/cli.js",
      "package/dist/types/index.d.ts",
      "package/LICENSE",
      "package/README.md",
      "package/fixtures/fixtures.json",
      "package/scenarios/aws-assume-role-denied.json",
      "package/dist/testkit/vitest.js",
      "package/schemas/scenario.schema.json",
      "package/dashboard/lib.js",
      "package/dashboard/app.css",
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^package\/(test|bench|src)\/|vitest[^/]*\.config|tsconfig|\.ci\//.test(f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(project, "node_modules", "thoughtspot-channels-emulator", "package.json"), "utf8"));
    expect(pkg.license).toBe("MIT");
    console.log(`[package] tarball ${(statSync(tarball).size / 1024).toFixed(0)} KB, ${files.length} files; install ${installMs} ms`);
  });

  it("type-checks a consumer under a strict tsconfig with zero errors, and runs it", () => {
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          noEmit: true,
          types: ["node"],
        },
        include: ["consumer.ts"],
      }),
    );
    writeFileSync(
      join(project, "consumer.ts"),
      `import { createEmulator, startEmulator, type Emulator, type EmulatorOptions, type Scenario } from "thoughtspot-channels-emulator";

const options: EmulatorOptions = { seed: 1, freezeClock: true, clockStart: Date.UTC(2026, 2, 30) };
const emu: Emulator = await createEmulator(options);
const res = await emu.app.request("/api/rest/2.0/auth/token/full", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "tsadmin", password: "admin" }),
});
const body = (await res.json()) as { token: string };
const scenario: Scenario | undefined = emu.scenarios.available()[0];
await emu.reset();
await emu.close();
const running = await startEmulator({ port: 0 });
const health = await fetch(\`\${running.url}/_emulator/health\`);
await running.stop();
console.log(JSON.stringify({ status: res.status, token: body.token.length > 20, scenario: scenario?.name ?? null, health: health.status }));
`,
    );
    const tsc = join(project, "node_modules", ".bin", "tsc");
    let output = "";
    try {
      output = execFileSync(tsc, ["-p", "."], { cwd: project, encoding: "utf8" });
    } catch (err) {
      output = `${(err as { stdout?: string }).stdout ?? ""}${(err as { stderr?: string }).stderr ?? ""}`;
    }
    expect(output).toBe("");
    execFileSync(tsc, ["-p", ".", "--noEmit", "false", "--outDir", "out"], { cwd: project });
    const ran = JSON.parse(
      execFileSync(process.execPath, ["out/consumer.js"], { cwd: project, encoding: "utf8" }).trim().split("\n").at(-1)!,
    );
    expect(ran).toEqual({ status: 200, token: true, scenario: expect.any(String), health: 200 });
  });

  it("starts the installed bin the way npx does, and answers, the dashboard's scripts included", async () => {
    const bin = join(project, "node_modules", ".bin", "ts-channels-emulator");
    const child = spawn(bin, ["--port", "0", "--in-memory"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
      child.stdout.on("data", () => {
        const m = out.match(/listening on (http:\/\/\S+)/);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
    const res = await fetch(`${url}/_emulator/health`);
    expect((await res.json()).status).toBe("ok");
    const script = await fetch(`${url}/_emulator/ui/assets/overview.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('from "./lib.js"');
    child.kill("SIGTERM");
    await new Promise((r) => child.on("exit", r));
    expect(readdirSync(project)).not.toContain(".emulator-data");
  });
});
