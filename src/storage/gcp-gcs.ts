import { z } from "zod";
import { Identifier, PathPrefix } from "../limits.js";
import { assumeRoleDeniedText } from "./aws-s3.js";
import type { StorageProvider } from "./provider.js";

const Input = z.object({
  bucket_name: Identifier.min(1),
  service_account_email: Identifier.min(1),
  path_prefix: PathPrefix.nullish(),
});

const Stored = z.object({
  bucket_name: z.string().min(1),
  service_account_email: z.string().min(1),
  path_prefix: z.string().nullable(),
});
export type GcpGcsConfig = z.infer<typeof Stored>;

/** Google Cloud Storage: a bucket reached by impersonating the customer's service account. */
export const gcpGcs: StorageProvider<z.infer<typeof Input>, GcpGcsConfig> = {
  storageType: "GCP_GCS",
  configKey: "gcp_gcs_config",
  infoKey: "gcp_gcs_info",
  input: Input,
  stored: Stored,
  normalize: (gcs) => ({
    bucket_name: gcs.bucket_name,
    service_account_email: gcs.service_account_email,
    path_prefix: gcs.path_prefix ?? null,
  }),
  bucket: (c) => c.bucket_name,
  pathPrefix: (c) => c.path_prefix,
  region: () => null,
  errorText(kind, c, ids) {
    if (kind === "ASSUME_ROLE_DENIED") return assumeRoleDeniedText(null, ids);
    if (kind === "PUT_OBJECT_DENIED") {
      return `Access denied. Ensure the service account ${c.service_account_email} has storage.objects.create permission on the target bucket.`;
    }
    if (kind === "IMPERSONATION_DENIED") {
      return `failed to impersonate service account '${c.service_account_email}': googleapi: Error 403: Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist)., forbidden`;
    }
    return undefined;
  },
  // Modelled on the S3 texts of the payload page, which shows no GCS failure.
  uploadErrorText(kind, c) {
    if (kind === "IMPERSONATION_DENIED" || kind === "ASSUME_ROLE_DENIED") {
      return `Failed to impersonate service account ${c.service_account_email}: PermissionDenied`;
    }
    if (kind === "PUT_OBJECT_DENIED") return "Failed to upload to GCS: AccessDenied: Access Denied";
    if (kind === "BUCKET_NOT_FOUND") return "Failed to upload to GCS: storage: bucket doesn't exist";
    return undefined;
  },
};
