import type { Endpoint } from "../api/endpoint.js";
import { inRelease } from "../api/endpoint.js";
import { API_BASE, ENDPOINTS } from "../api/index.js";
import type { EmulatorConfig } from "../config.js";
import { ERROR_CODES } from "../errors.js";
import { VERSION } from "../version.js";
import { ADMIN_ROUTES, type AdminRoute, jsonSchemaOf } from "./catalog.js";

const openApiPath = (p: string) => p.replace(/:([A-Za-z_]+)/g, "{$1}");
const params = (p: string) =>
  [...p.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));

/** ThoughtSpot's error envelope (docs/decisions.md, "Errors"). */
const ENVELOPE = { content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } } };

function queryParams(schema: AdminRoute["query"]) {
  if (!schema) return [];
  const js = jsonSchemaOf(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: js.required?.includes(name) ?? false,
    schema: s,
  }));
}

function adminOperation(r: AdminRoute) {
  return {
    summary: r.summary,
    tags: ["emulator"],
    parameters: [...params(r.path), ...queryParams(r.query)],
    ...(r.body && { requestBody: { required: false, content: { "application/json": { schema: jsonSchemaOf(r.body) } } } }),
    responses: {
      "200": { description: "OK", content: { [r.produces ?? "application/json"]: { schema: {} } } },
      "400": { description: "Invalid request (the text names the field)", ...ENVELOPE },
    },
  };
}

function apiOperation(e: Endpoint) {
  const errors = Object.fromEntries(
    Object.entries(ERROR_CODES).map(([status, code]) => [status, { description: `code ${code}`, ...ENVELOPE }]),
  );
  return {
    operationId: e.operationId,
    tags: ["thoughtspot"],
    description: `Since ThoughtSpot ${e.since}. Access: ${Array.isArray(e.access) ? `one of ${e.access.join(", ")}` : e.access}.`,
    parameters: params(e.path),
    ...(e.access !== "public" && { security: [{ bearer: [] }, { session: [] }] }),
    ...(e.body && { requestBody: { required: true, content: { "application/json": { schema: jsonSchemaOf(e.body) } } } }),
    responses: { [String(e.status)]: { description: e.status === 204 ? "No content" : "OK" }, ...errors },
  };
}

/**
 * OpenAPI 3.1 for the admin surface and the emulated endpoints of the release, built from the
 * project's own zod schemas and endpoint table (never a copy of ThoughtSpot's spec file).
 */
export function openApi(config: Pick<EmulatorConfig, "release">, serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (path: string, method: string, op: unknown) => {
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = op;
  };
  for (const e of ENDPOINTS) if (inRelease(e, config.release)) add(openApiPath(`${API_BASE}${e.path}`), e.method, apiOperation(e));
  for (const r of ADMIN_ROUTES) add(openApiPath(r.path), r.method, adminOperation(r));
  return {
    openapi: "3.1.0",
    info: {
      title: "ThoughtSpot communication-channels emulator",
      version: VERSION,
      description: `The emulated ThoughtSpot REST API v2 endpoints (release ${config.release}) and the emulator's own routes under /_emulator.`,
    },
    servers: [{ url: serverUrl }],
    tags: [
      { name: "thoughtspot", description: "Emulated ThoughtSpot REST API v2" },
      { name: "emulator", description: "Emulator-only routes" },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A token from POST /api/rest/2.0/auth/token/full" },
        session: { type: "apiKey", in: "cookie", name: "JSESSIONID" },
        adminToken: { type: "apiKey", in: "header", name: "X-Emulator-Admin-Token", description: "Only with --admin-token" },
      },
      schemas: {
        ErrorEnvelope: {
          type: "object",
          properties: { error: { type: "object", properties: { message: { type: "object" } } } },
          required: ["error"],
        },
      },
    },
  };
}
