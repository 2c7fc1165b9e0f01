import { fileURLToPath } from "node:url";

/**
 * The package root. This module sits one folder below it both as source (src/paths.ts) and when
 * bundled (dist/cli.js), so files shipped beside the code resolve the same way in both.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));
