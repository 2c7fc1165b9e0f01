// npm start: build when src/ changed since the last build, then run the CLI in this same process
// (its flags are this process's argv), which saves a second Node start.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "./build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync(join(root, "dist", "cli.js")).mtimeMs;
  } catch {
    return 0;
  }
}

process.setSourceMapsEnabled(true);
if (builtAt() <= Math.max(newestSource(join(root, "src")), statSync(join(root, "package.json")).mtimeMs)) await build();
await import("../dist/cli.js");
