// npm run schemas: writes the JSON Schemas of scenario and fixtures files (from their zod schemas)
// to schemas/, where the package ships them and the built-in scenario files point ($schema).
import { writeFileSync } from "node:fs";
import { FILE_SCHEMAS } from "../src/admin/catalog.js";

for (const [name, make] of Object.entries(FILE_SCHEMAS)) {
  const file = new URL(`../schemas/${name.replace(/\.json$/, ".schema.json")}`, import.meta.url);
  writeFileSync(file, `${JSON.stringify(make(), null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
