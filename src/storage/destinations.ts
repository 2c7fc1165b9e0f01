import { z } from "zod";
import type { ObjectKeyLayout } from "../config.js";
import { badRequest } from "../errors.js";
import type { Ids } from "../random.js";
import { awsS3 } from "./aws-s3.js";
import { gcpGcs } from "./gcp-gcs.js";
import type { StorageProvider } from "./provider.js";

/**
 * The storage types a webhook's storage_destination can name. Adding one: a provider module
 * beside aws-s3.ts, and its line in PROVIDERS and in the two storage_config objects below.
 */
const PROVIDERS = { AWS_S3: awsS3, GCP_GCS: gcpGcs } as const;
export type StorageType = keyof typeof PROVIDERS;
export const STORAGE_TYPES = Object.keys(PROVIDERS) as [StorageType, ...StorageType[]];

/** storage_destination as a request gives it (create, update). */
export const StorageDestinationInput = z.object({
  storage_type: z.enum(STORAGE_TYPES),
  storage_config: z.object({ aws_s3_config: awsS3.input.optional(), gcp_gcs_config: gcpGcs.input.optional() }),
});
export type StorageDestinationInput = z.infer<typeof StorageDestinationInput>;

/** storage_destination as stored and answered: only the provider's own config key. */
const StoredShape = z.object({
  storage_type: z.enum(STORAGE_TYPES),
  storage_config: z.object({ aws_s3_config: awsS3.stored.optional(), gcp_gcs_config: gcpGcs.stored.optional() }),
});
export type StorageDestination = z.infer<typeof StoredShape>;
export const StorageDestination = StoredShape.refine((d) => configOf(d) !== undefined, {
  message: "storage_config must hold the config of its storage_type.",
});

function providerOf(dest: { storage_type: StorageType }): StorageProvider {
  return PROVIDERS[dest.storage_type] as StorageProvider;
}

function configOf(dest: { storage_type: StorageType; storage_config: object }): unknown {
  return (dest.storage_config as Record<string, unknown>)[providerOf(dest).configKey];
}

/** The stored destination for a request's; 400 when the config for its storage_type is missing. */
export function normalizeDestination(input: StorageDestinationInput, defaults: { externalId(): string }): StorageDestination {
  const provider = providerOf(input);
  const config = configOf(input);
  if (config === undefined) {
    throw badRequest(`storage_config.${provider.configKey} must be specified when storage_type is ${input.storage_type}.`);
  }
  return { storage_type: input.storage_type, storage_config: { [provider.configKey]: provider.normalize(config, defaults) } };
}

/** Where an export of one org's user goes (docs/decisions.md, "Storage object keys"). */
export interface ObjectPlace {
  cluster: string;
  org: string;
  user: string;
  file: string;
  layout: ObjectKeyLayout;
}

/**
 * The bucket and object key of a file: `<path_prefix>/cluster-<id>/org-<org>/user-<user>/liveboard/<file>`
 * (`user-…` before `org-…` with the user-org layout); no path_prefix means `webhooks`.
 */
export function storageTarget(dest: StorageDestination, place: ObjectPlace) {
  const provider = providerOf(dest);
  const config = configOf(dest);
  const prefix = trimSlashes(provider.pathPrefix(config) ?? "webhooks");
  const owner = place.layout === "org-user" ? [`org-${place.org}`, `user-${place.user}`] : [`user-${place.user}`, `org-${place.org}`];
  const key = [prefix, `cluster-${place.cluster}`, ...owner, "liveboard", place.file].filter(Boolean).join("/");
  return { bucket: provider.bucket(config), key, region: provider.region(config), infoKey: provider.infoKey };
}

/**
 * A failed upload of a delivery's export as its upload report says it. `files: false` when the
 * storage service could not be reached at all (the report lists no file).
 */
export function uploadErrorText(kind: string, dest: StorageDestination): { text: string; files: boolean } {
  if (kind === "STORAGE_SERVICE_FAILED") {
    return {
      text: "cloud storage upload failed: failed to create cloud storage service: Unable to assume role. Verify roleArn, trust policy, externalId, and region.",
      files: false,
    };
  }
  const provider = providerOf(dest);
  return { text: provider.uploadErrorText(kind, configOf(dest)) ?? kind, files: true };
}

/**
 * `p` without leading and trailing slashes, in one pass (`/^\/+|\/+$/g` retries the trailing
 * alternative at every slash of a run: quadratic, 7 s for a prefix of 100k slashes).
 */
export function trimSlashes(p: string): string {
  let start = 0;
  let end = p.length;
  while (start < end && p.charCodeAt(start) === 0x2f) start++;
  while (end > start && p.charCodeAt(end - 1) === 0x2f) end--;
  return p.slice(start, end);
}

/**
 * A storage failure as real clusters print it. `kind` is a scenario's `storage_error`: a kind the
 * provider knows, BUCKET_NOT_FOUND, or any other text used literally.
 */
export function storageErrorText(kind: string, dest: StorageDestination, ids: Ids): string {
  const provider = providerOf(dest);
  const config = configOf(dest);
  const own = provider.errorText(kind, config, ids);
  if (own !== undefined) return own;
  if (kind === "BUCKET_NOT_FOUND") return `The specified bucket does not exist: ${provider.bucket(config)}`;
  return kind;
}
