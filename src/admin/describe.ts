import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../context.js";
import { badRequest } from "../errors.js";
import { ADMIN_ROUTES, FILE_SCHEMAS } from "./catalog.js";
import { openApi } from "./openapi.js";

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The API reference page: every operation of openapi.json, server-rendered, no asset from elsewhere. */
function docsPage(spec: ReturnType<typeof openApi>): string {
  const rows: string[] = [];
  for (const tag of spec.tags) {
    rows.push(`<h2 id="${tag.name}">${esc(tag.description)}</h2>`);
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, raw] of Object.entries(ops)) {
        const op = raw as {
          tags: string[];
          summary?: string;
          description?: string;
          operationId?: string;
          requestBody?: { content: Record<string, { schema: unknown }> };
        };
        if (!op.tags.includes(tag.name)) continue;
        const body = op.requestBody?.content["application/json"]?.schema;
        rows.push(
          `<section><h3><span class="m m-${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code>${op.operationId ? ` <small>${esc(op.operationId)}</small>` : ""}</h3>` +
            `<p>${esc(op.summary ?? op.description ?? "")}</p>` +
            (body ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(body, null, 2))}</pre></details>` : "") +
            "</section>",
        );
      }
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(spec.info.title)} — API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #d0d7de}h3{font-size:1rem;margin:1.2rem 0 .2rem}
code{font-size:.95rem}small{color:#57606a;font-weight:normal}pre{background:#f6f8fa;padding:.8rem;overflow:auto;border-radius:6px}
.m{display:inline-block;min-width:4.2rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:.1rem .3rem}
.m-get{background:#0969da}.m-post{background:#1a7f37}.m-put{background:#9a6700}.m-delete{background:#cf222e}
</style></head><body><h1>${esc(spec.info.title)}</h1><p>${esc(spec.info.description)} Version ${esc(spec.info.version)}.
The machine-readable form is <a href="/_emulator/openapi.json">/_emulator/openapi.json</a>.</p>
<nav><a href="#thoughtspot">ThoughtSpot endpoints</a> · <a href="#emulator">Emulator routes</a></nav>
${rows.join("\n")}</body></html>`;
}

/** GET /_emulator (the route list), /openapi.json, /docs and /schemas/<file>. */
export function describeRoutes(deps: Deps): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  // Made once per origin (it depends only on the config and the URL the emulator answers on): ~12 ms each time otherwise.
  let made: { url: string; spec: ReturnType<typeof openApi>; docs?: string } | undefined;
  const described = () => {
    if (made?.url !== deps.origin.url) made = { url: deps.origin.url, spec: openApi(deps.config, deps.origin.url) };
    return made;
  };
  const spec = () => described().spec;
  r.get("/", (c) => c.json({ routes: ADMIN_ROUTES.map(({ method, path, summary }) => ({ method, path, summary })) }));
  r.get("/openapi.json", (c) => c.json(spec()));
  r.get("/docs", (c) => {
    const d = described();
    d.docs ??= docsPage(d.spec);
    return c.html(d.docs);
  });
  r.get("/schemas/:name", (c) => {
    const make = FILE_SCHEMAS[c.req.param("name")];
    if (!make) throw badRequest(`No schema ${c.req.param("name")}; there are: ${Object.keys(FILE_SCHEMAS).join(", ")}.`);
    return c.json(make());
  });
  return r;
}
