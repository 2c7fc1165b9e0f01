import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { PACKAGE_ROOT } from "../paths.js";
import { PAGES, renderPage, UI_BASE } from "../ui/index.js";

/** The dashboard's scripts, styles and icon: plain files of the package's dashboard/ folder (no build step, no CDN). */
export const DASHBOARD_DIR = join(PACKAGE_ROOT, "dashboard");

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * What every dashboard response says to the browser: scripts and styles only from the emulator
 * (no inline script, no other origin), no framing, no referrer (the URL fragment may hold the
 * admin token; it is never sent, but the page's URL is nobody else's business either).
 */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

interface Asset {
  bytes: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
}

/** Reads the dashboard's files once (they are small): name → bytes, type and ETag. */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const bytes = new Uint8Array(readFileSync(join(dir, name)));
    assets.set(name, { bytes, type, etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 16)}"` });
  }
  return assets;
}

/**
 * GET /ui/… : the dashboard. Pages are rendered once (they hold no data: every datum is fetched
 * by the page's script through the API and the admin routes, with the caller's token and the
 * admin token), so serving one costs nothing, whatever the history holds.
 */
export function uiRoutes(_deps: Deps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  const pages = new Map<string, string>(PAGES.map((p) => [p.path, renderPage(p.id)]));
  const assets = loadAssets(DASHBOARD_DIR);

  r.get("/ui", (c) => c.redirect(`${UI_BASE}/`, 302));
  r.get("/ui/assets/:file", (c) => {
    const asset = assets.get(c.req.param("file"));
    if (!asset) return c.json({ error: `No dashboard asset ${c.req.param("file")}.` }, 404);
    const headers = { ...PAGE_HEADERS, "content-type": asset.type, etag: asset.etag };
    if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304, headers);
    return c.body(asset.bytes, 200, headers);
  });
  const page = (segment: string) => (c: Context<AppEnv>) => {
    const html = pages.get(segment);
    if (html === undefined) {
      return c.json({ error: `No dashboard page ${c.req.path}. The pages: ${PAGES.map((p) => `${UI_BASE}/${p.path}`).join(", ")}.` }, 404);
    }
    return c.html(html, 200, PAGE_HEADERS);
  };
  r.get("/ui/", page(""));
  r.get("/ui/:page", (c) => page(c.req.param("page"))(c));
  return r;
}
