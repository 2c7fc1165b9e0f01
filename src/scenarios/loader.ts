import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../paths.js";
import { describeZodError, ScenarioSchema, type Scenario } from "./schema.js";

export const BUILTIN_SCENARIOS_DIR = join(PACKAGE_ROOT, "scenarios");

/** Loads every *.json scenario file of the folders given; an invalid file stops start-up. */
export function loadScenarios(dirs: string[]): Map<string, Scenario> {
  const out = new Map<string, Scenario>();
  for (const dir of dirs) {
    if (!dir || !existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const path = join(dir, file);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path, "utf8"));
      } catch (err) {
        throw new Error(`[emulator] Scenario file ${path} is not valid JSON: ${(err as Error).message}`);
      }
      const parsed = ScenarioSchema.safeParse(raw);
      if (!parsed.success) {
        throw new Error(`[emulator] Scenario file ${path} is invalid at ${describeZodError(parsed.error)}`);
      }
      out.set(parsed.data.name, parsed.data);
    }
  }
  return out;
}
