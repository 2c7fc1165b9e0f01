#!/usr/bin/env node
/** The only side-effecting entry: argv/env → a command to a running emulator, or config → a running one. */
import { basename } from "node:path";
import { COMMANDS, runCommand } from "./cli/commands.js";
import { configFromArgs, fail, helpText } from "./cli/options.js";
import { serve } from "./cli/serve.js";
import { VERSION } from "./version.js";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if ((COMMANDS as readonly string[]).includes(argv[0] ?? "")) process.exit(await runCommand(argv, process.env));
  let config: ReturnType<typeof configFromArgs>;
  try {
    config = configFromArgs(argv, process.env);
  } catch (err) {
    fail((err as Error).message);
  }
  if (config.version) return console.log(VERSION);
  if (config.help) {
    // Run as the package's bin, name it; run from a clone (npm start), say so.
    const bin =
      process.env.npm_lifecycle_event === "start"
        ? "npm start --"
        : basename(process.argv[1] ?? "ts-channels-emulator").replace(/\.js$/, "") === "cli"
          ? "ts-channels-emulator"
          : basename(process.argv[1] ?? "");
    return console.log(helpText(bin));
  }
  await serve(config);
}

void main();
