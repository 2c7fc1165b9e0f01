import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";
import type { Deps } from "./context.js";
import { loadFixtures } from "./fixtures.js";
import { loadScenarios } from "./scenarios/loader.js";

/**
 * --watch: scenario files and the fixtures file are read again when they change. An edit that
 * breaks one is logged with its file and JSON path, and the previous version stays in force.
 * Returns a function that stops watching.
 */
export function watchFiles(deps: Deps, scenarioDirs: string[], fixturesFile: string): () => void {
  const { logger } = deps;
  const timers = new Map<string, NodeJS.Timeout>();
  const later = (key: string, fn: () => void) => {
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(fn, 100)); // editors write a file in several steps
  };
  const reloadScenarios = () => {
    try {
      const next = loadScenarios(scenarioDirs);
      const { added, changed, removed } = deps.scenarios.reload(
        next,
        deps.namespaces.live().map((ns) => ns.scenarios),
      );
      if (added.length + changed.length + removed.length === 0) return;
      logger.info(
        { added, changed, removed },
        `Reloaded the scenarios: ${[...added.map((n) => `+${n}`), ...changed.map((n) => `~${n}`), ...removed.map((n) => `-${n}`)].join(" ")}`,
      );
    } catch (err) {
      logger.warn({}, `Kept the previous scenarios: ${(err as Error).message.replace(/^\[emulator\] /, "")}`);
    }
  };
  const reloadFixtures = () => {
    try {
      deps.store.setFixtures(loadFixtures(fixturesFile));
      logger.info(
        { file: fixturesFile },
        `Reloaded the fixtures ${fixturesFile}: new namespaces and namespaces reset from now on start from them.`,
      );
    } catch (err) {
      logger.warn({}, `Kept the previous fixtures: ${(err as Error).message.replace(/^\[emulator\] /, "")}`);
    }
  };
  const watchers: FSWatcher[] = [];
  for (const dir of scenarioDirs) {
    try {
      watchers.push(watch(dir, (_event, name) => name?.toString().endsWith(".json") && later("scenarios", reloadScenarios)));
    } catch {
      // A folder that does not exist has nothing to watch.
    }
  }
  // The folder, not the file: an editor that saves by renaming a new file over it would end a file watch.
  const file = basename(fixturesFile);
  watchers.push(watch(dirname(fixturesFile), (_event, name) => name?.toString() === file && later("fixtures", reloadFixtures)));
  logger.info({ scenarioDirs, fixturesFile }, `Watching ${[...scenarioDirs, fixturesFile].join(", ")} for changes.`);
  return () => {
    for (const w of watchers) w.close();
    for (const t of timers.values()) clearTimeout(t);
  };
}
