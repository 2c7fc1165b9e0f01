import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../paths.js";
import { parseScenario, type Scenario, ScenarioError } from "./schema.js";

export const BUILTIN_SCENARIOS_DIR = join(PACKAGE_ROOT, "scenarios");

/** Reads and checks one scenario file; the error names the file, the JSON path and what was expected. */
export function loadScenarioFile(path: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`[emulator] Scenario file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return parseScenario(raw);
  } catch (err) {
    if (err instanceof ScenarioError) throw new Error(`[emulator] Scenario file ${path} is invalid at ${err.message}`);
    throw err;
  }
}

/** Loads every *.json scenario file of the folders given; an invalid file stops start-up. */
export function loadScenarios(dirs: string[]): Map<string, Scenario> {
  const out = new Map<string, Scenario>();
  for (const dir of dirs) {
    if (!dir || !existsSync(dir)) continue;
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      const scenario = loadScenarioFile(join(dir, file));
      out.set(scenario.name, scenario);
    }
  }
  return out;
}
