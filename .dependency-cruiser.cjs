/**
 * Layer rules of src/ (docs/architecture.md, "Layers"), checked by `npm run lint`. Lower layers
 * never import higher ones; there are no cycles.
 */
const below = (from, forbidden, comment) => ({
  name: `${from.replace(/[^a-z]/g, "") || "root"}-layer`,
  severity: "error",
  comment,
  from: { path: from },
  to: { path: forbidden },
});

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "Modules must not import each other in a cycle.", from: {}, to: { circular: true } },
    {
      name: "no-orphans",
      severity: "error",
      comment: "Every module is used.",
      from: { orphan: true, pathNot: ["\\.d\\.ts$", "^src/(cli|index)\\.ts$"] },
      to: {},
    },
    below(
      "^src/(clock|cron|random|paths|version|errors|json-text|background|config|addresses|redact|log|limits)\\.ts$",
      "^src/(?!(clock|cron|random|paths|version|errors|json-text|background|config|addresses|redact|log|limits)\\.ts$)",
      "Root utilities import only each other.",
    ),
    below(
      "^src/schemas/",
      "^src/(api|admin|services|store|delivery|scenarios|jobs|app\\.ts|deps|emulator|cli|context)",
      "Wire shapes depend on nothing above them (storage providers own their schemas).",
    ),
    below(
      "^src/storage/",
      "^src/(api|admin|services|store|delivery|scenarios|jobs|schemas|app\\.ts|deps|emulator|cli|context)",
      "Storage providers are self-contained.",
    ),
    below(
      "^src/store/",
      "^src/(api|admin|services|delivery|scenarios|storage|jobs|app\\.ts|deps|emulator|cli|context)",
      "The store knows records, not the features built on them.",
    ),
    below(
      "^src/scenarios/",
      "^src/(api|admin|services|store|delivery|jobs|app\\.ts|deps|emulator|cli|context)",
      "Scenarios are data and a matcher, asked by services.",
    ),
    below(
      "^src/delivery/",
      "^src/(api|admin|services|store|storage|jobs|app\\.ts|deps|emulator|cli|context)",
      "Outgoing calls take narrow inputs, never the request context.",
    ),
    below(
      "^src/jobs/",
      "^src/(api|admin|services|store|delivery|scenarios|storage|app\\.ts|deps|emulator|cli|context)",
      "The synthesizer is a pure function of its options.",
    ),
    below(
      "^src/observe/",
      "^src/(api|admin|services|store|delivery|scenarios|storage|jobs|schemas|app\\.ts|deps|emulator|cli|context)",
      "The journal, the inbox and the event bus hold entries; services fill them.",
    ),
    below(
      "^src/ui/",
      "^src/(api|admin|services|store|delivery|scenarios|storage|jobs|observe|schemas|app\\.ts|deps|emulator|cli|context)",
      "The dashboard's pages are markup: they hold no data and import none of the emulator.",
    ),
    below("^src/services/", "^src/(api|admin|app\\.ts|deps|emulator|cli)", "Services never reach up into routes or wiring."),
    below(
      "^src/api/",
      "^src/(admin|store|delivery|storage|scenarios/engine|app\\.ts|deps|emulator|cli)",
      "Endpoints call services; they do not touch the store or outgoing calls.",
    ),
    below("^src/admin/", "^src/(store|delivery|app\\.ts|deps|emulator|cli)", "Admin routes call services and the registry through deps."),
    below("^src/(app|context)\\.ts$", "^src/(deps|emulator|cli)\\.ts$", "The app is built from deps, never builds them."),
    below("^src/deps\\.ts$", "^src/(app\\.ts|emulator|cli|api|admin)", "The composition root builds deps; the app is made from them."),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
