/**
 * Checks a raw JSON value against a model of the official client `@thoughtspot/rest-api-sdk`.
 *
 * Field lists and types come from the SDK's exported model classes (`getAttributeTypeMap()`).
 * What the classes do not carry at run time — which fields are required, which are declared
 * `| null`, and the allowed values of the `*Enum` types — is read at test time from the model
 * declarations shipped in the npm package (`node_modules/@thoughtspot/rest-api-sdk/models/<Model>.ts`).
 * Nothing of the SDK is copied into this repository.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as sdk from "@thoughtspot/rest-api-sdk";

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

interface Declaration {
  optional: boolean;
  nullable: boolean;
}

interface ModelInfo {
  attributes: Attribute[];
  declarations: Map<string, Declaration>;
  enums: Map<string, string[]>;
}

interface ExtraField {
  /** A type the checker understands, or an inline enum. */
  type: string;
  values?: readonly string[];
  /** Where the contract defines it. */
  source: string;
}

/**
 * Fields the contract (26.8 shape) defines that SDK 2.24.0's models lack. Every entry needs a
 * contract citation; nothing else is allowed through.
 */
export const CONTRACT_EXTRA_FIELDS: Record<string, Record<string, ExtraField>> = {
  WebhookResponse: {
    // docs/decisions.md, "Webhooks": create body `status?: "ENABLED"|"DISABLED"`, response key order ends with `status`;
    // Decision: omitted on create → "ENABLED".
    status: { type: "enum", values: ["ENABLED", "DISABLED"], source: "docs/decisions.md, Webhooks" },
  },
  ChannelValidationDetail: {
    // docs/decisions.md, "Validation": details[] = {validation_step, status, http_status, error_message, aws_s3_info}
    // "(and gcp_gcs_info for GCS)". Its inner shape is not specified, so it is not checked further.
    gcp_gcs_info: { type: "any", source: "docs/decisions.md, Validation" },
  },
};

const PRIMITIVES = new Set(["string", "number", "boolean", "any"]);

function modelsDir(): string {
  const entry = createRequire(import.meta.url).resolve("@thoughtspot/rest-api-sdk"); // …/dist/index.cjs
  const dir = join(dirname(entry), "..", "models");
  if (!existsSync(dir)) throw new Error(`model-check: SDK model declarations not found at ${dir}`);
  return dir;
}

const MODELS_DIR = modelsDir();
const modelCache = new Map<string, ModelInfo>();
let allEnums: Map<string, string[]> | undefined;

/** `export type XEnum = "A" | "B" ;` → XEnum → [A, B]. */
function parseEnums(source: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of source.matchAll(/export\s+type\s+(\w+)\s*=\s*([^;]*);/g)) {
    const values = [...m[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((v) => v[1]);
    if (values.length) out.set(m[1], values);
  }
  return out;
}

/** Class field declarations: `'name': T;` required, `'name'?: T;` optional, `| null` nullable. */
function parseDeclarations(source: string, model: string): Map<string, Declaration> {
  const out = new Map<string, Declaration>();
  const start = source.search(new RegExp(`export\\s+class\\s+${model}\\b`));
  if (start < 0) return out;
  const body = source.slice(start);
  const end = body.search(/\bstatic\s+readonly\b/);
  for (const m of (end < 0 ? body : body.slice(0, end)).matchAll(/^\s*'([^']+)'(\?)?\s*:\s*([^;]+);/gm)) {
    out.set(m[1], { optional: m[2] === "?", nullable: /\|\s*null\s*$/.test(m[3].trim()) });
  }
  return out;
}

function sourceOf(model: string): string | undefined {
  const file = join(MODELS_DIR, `${model}.ts`);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

function modelClass(name: string): { getAttributeTypeMap(): Attribute[] } | undefined {
  const cls = (sdk as unknown as Record<string, unknown>)[name] as { getAttributeTypeMap?: () => Attribute[] } | undefined;
  return typeof cls?.getAttributeTypeMap === "function" ? (cls as { getAttributeTypeMap(): Attribute[] }) : undefined;
}

function modelInfo(name: string): ModelInfo | undefined {
  const cached = modelCache.get(name);
  if (cached) return cached;
  const cls = modelClass(name);
  const source = sourceOf(name);
  if (!cls || source === undefined) return undefined;
  const info: ModelInfo = {
    attributes: cls.getAttributeTypeMap(),
    declarations: parseDeclarations(source, name),
    enums: parseEnums(source),
  };
  modelCache.set(name, info);
  return info;
}

/** Enum values: first from the model being checked, else from any model declaration file. */
function enumValues(name: string, owner?: string): string[] | undefined {
  const local = owner ? modelInfo(owner)?.enums.get(name) : undefined;
  if (local) return local;
  if (!allEnums) {
    allEnums = new Map();
    for (const file of readdirSync(MODELS_DIR).filter((f) => f.endsWith(".ts"))) {
      for (const [k, v] of parseEnums(readFileSync(join(MODELS_DIR, file), "utf8"))) allEnums.set(k, v);
    }
  }
  return allEnums.get(name);
}

function show(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "string" ? `string ${JSON.stringify(value)}` : typeof value;
}

function at(path: string): string {
  return path || "(root)";
}

function checkType(value: unknown, type: string, path: string, owner: string | undefined, problems: string[]): void {
  if (type === "any") return;
  if (PRIMITIVES.has(type)) {
    if (typeof value !== type || (type === "number" && !Number.isFinite(value)))
      problems.push(`${at(path)}: expected ${type}, got ${show(value)}`);
    return;
  }
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) {
      problems.push(`${at(path)}: expected ${type}, got ${show(value)}`);
      return;
    }
    value.forEach((item, i) => {
      if (item === null) problems.push(`${path}[${i}]: null item in ${type}`);
      else checkType(item, array[1], `${path}[${i}]`, owner, problems);
    });
    return;
  }
  if (modelClass(type)) {
    problems.push(...checkModelOnly(value, type, path));
    return;
  }
  const values = enumValues(type, owner);
  if (values) {
    if (typeof value !== "string" || !values.includes(value)) {
      problems.push(`${at(path)}: ${show(value)} is not a ${type} (${values.join(" | ")})`);
    }
    return;
  }
  problems.push(`${at(path)}: the checker does not know the type ${type}`);
}

function checkModelOnly(value: unknown, model: string, path: string): string[] {
  const problems: string[] = [];
  const info = modelInfo(model);
  if (!info) return [`${at(path)}: ${model} is not an SDK model with a declaration file`];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [`${at(path)}: expected a ${model} object, got ${show(value)}`];
  }
  const obj = value as Record<string, unknown>;
  const extras = CONTRACT_EXTRA_FIELDS[model] ?? {};
  const known = new Set<string>();
  for (const attr of info.attributes) {
    known.add(attr.baseName);
    const fieldPath = path ? `${path}.${attr.baseName}` : attr.baseName;
    const decl = info.declarations.get(attr.name);
    if (!decl) {
      problems.push(`${fieldPath}: no declaration for ${model}.${attr.name} in the SDK model file`);
      continue;
    }
    const present = Object.hasOwn(obj, attr.baseName);
    const v = obj[attr.baseName];
    if (!decl.optional) {
      if (!present) {
        problems.push(`${fieldPath}: required field of ${model} is missing`);
        continue;
      }
      if (v === null || v === undefined) {
        problems.push(`${fieldPath}: required field of ${model} is null`);
        continue;
      }
    }
    if (v === undefined) continue;
    if (v === null) {
      // Nullable: declared `| null`, or optional — docs/decisions.md ("Errors" and the shapes: unset optional keys are printed
      // as null, as real clusters do, e.g. `"aws_s3_info": null`) prints unset optional
      // sections as null although the SDK declares some of them without `| null`.
      if (decl.nullable || decl.optional) continue;
      problems.push(`${fieldPath}: ${model}.${attr.name} is not nullable`);
      continue;
    }
    checkType(v, attr.type, fieldPath, model, problems);
  }
  for (const key of Object.keys(obj)) {
    if (known.has(key)) continue;
    const fieldPath = path ? `${path}.${key}` : key;
    const extra = extras[key];
    if (!extra) {
      problems.push(`${fieldPath}: unknown field (not in SDK model ${model})`);
      continue;
    }
    const v = obj[key];
    if (v === null || v === undefined) continue;
    if (extra.values) {
      if (typeof v !== "string" || !extra.values.includes(v))
        problems.push(`${fieldPath}: ${show(v)} is not one of ${extra.values.join(" | ")} (${extra.source})`);
    } else {
      checkType(v, extra.type, fieldPath, model, problems);
    }
  }
  return problems;
}

/**
 * Problems of `value` against an SDK model or type expression (`"WebhookResponse"`,
 * `"Array<OrgResponse>"`, `"ChannelHistoryJobStatusEnum"`); an empty list means it conforms.
 * Checks: required fields present and non-null, no field unknown to the model (except the
 * cited CONTRACT_EXTRA_FIELDS), primitive types, enum values, nested models and arrays.
 */
export function checkModel(value: unknown, modelName: string, path = ""): string[] {
  const problems: string[] = [];
  if (value === undefined) return [`${at(path)}: no value (expected ${modelName})`];
  checkType(value, modelName, path, undefined, problems);
  return problems;
}

/** The allowed values of an SDK `*Enum` type, parsed from the model declarations. */
export function sdkEnum(name: string): string[] {
  const values = enumValues(name);
  if (!values) throw new Error(`model-check: no enum ${name} in the SDK model declarations`);
  return values;
}
