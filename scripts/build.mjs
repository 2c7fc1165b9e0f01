// Bundles src/cli.ts and src/index.ts into dist/ with esbuild (the first half of npm run build, whose
// second half emits dist/types with tsc; npm start calls it in-process, which saves a second Node
// start). Dependencies stay external.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build as esbuild } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function build() {
  // Old chunks go; dist/types (the declarations `npm run build` emits with tsc) stays.
  const dist = `${root}dist`;
  if (existsSync(dist)) for (const f of readdirSync(dist)) if (f !== "types") rmSync(`${dist}/${f}`, { recursive: true, force: true });
  await esbuild({
    absWorkingDir: root,
    entryPoints: ["src/cli.ts", "src/index.ts", "src/testkit/vitest.ts", "src/testkit/vitest-setup.ts"],
    bundle: true,
    splitting: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    sourcemap: true,
    outdir: "dist",
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
