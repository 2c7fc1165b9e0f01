// Bundles src/cli.ts and src/index.ts into dist/ with esbuild (npm run build; npm start calls it
// in-process, which saves a second Node start). Dependencies stay external.
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build as esbuild } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function build() {
  rmSync(`${root}dist`, { recursive: true, force: true });
  await esbuild({
    absWorkingDir: root,
    entryPoints: ["src/cli.ts", "src/index.ts"],
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
