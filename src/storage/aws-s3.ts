import { z } from "zod";
import { Identifier, PathPrefix, Text } from "../limits.js";
import type { Ids } from "../random.js";
import type { StorageProvider } from "./provider.js";

const Input = z.object({
  bucket_name: Identifier.min(1),
  region: Identifier.min(1),
  role_arn: Text.min(1),
  external_id: Identifier.nullish(),
  path_prefix: PathPrefix.nullish(),
});

const Stored = z.object({
  bucket_name: z.string().min(1),
  region: z.string().min(1),
  role_arn: z.string().min(1),
  external_id: z.string().nullable(),
  path_prefix: z.string().nullable(),
});
export type AwsS3Config = z.infer<typeof Stored>;

const DEFAULT_ROLE = "arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole";

/** The STS AssumeRole denial as real clusters print it (docs/decisions.md, "Storage failure texts"). */
export function assumeRoleDeniedText(role: string | null, ids: Ids): string {
  const arn = role ?? DEFAULT_ROLE;
  const cell = `cell-${ids.hex(8)}`;
  return (
    `failed to assume role '${arn}': operation error STS: AssumeRole, https response error StatusCode: 403, ` +
    `RequestID: ${ids.uuid()}, api error AccessDenied: User: arn:aws:sts::${ids.awsAccountId()}:assumed-role/` +
    `${cell}-coms-lambda-role/${cell}-coms-api is not authorized to perform: sts:AssumeRole on resource: ${arn}. ` +
    `Ensure the role's trust policy allows ThoughtSpot and the External ID matches`
  );
}

/** AWS S3: a bucket reached by assuming the customer's IAM role with the org's external id. */
export const awsS3: StorageProvider<z.infer<typeof Input>, AwsS3Config> = {
  storageType: "AWS_S3",
  configKey: "aws_s3_config",
  infoKey: "aws_s3_info",
  input: Input,
  stored: Stored,
  normalize: (s3, defaults) => ({
    bucket_name: s3.bucket_name,
    region: s3.region,
    role_arn: s3.role_arn,
    // Left out on create: the org's ts-webhook-… id shown by GET /webhooks/storage-config.
    external_id: s3.external_id ?? defaults.externalId(),
    path_prefix: s3.path_prefix ?? null,
  }),
  bucket: (c) => c.bucket_name,
  pathPrefix: (c) => c.path_prefix,
  region: (c) => c.region,
  errorText(kind, c, ids) {
    if (kind === "ASSUME_ROLE_DENIED") return assumeRoleDeniedText(c.role_arn, ids);
    if (kind === "PUT_OBJECT_DENIED") return "Access denied. Ensure the IAM role has s3:PutObject permission on the target bucket.";
    return undefined;
  },
  // The texts of the payload page's upload reports.
  uploadErrorText(kind) {
    if (kind === "ASSUME_ROLE_DENIED") return "Failed to assume role: AccessDenied";
    if (kind === "PUT_OBJECT_DENIED") return "Failed to upload to S3: AccessDenied: Access Denied";
    if (kind === "BUCKET_NOT_FOUND") return "Failed to upload to S3: NoSuchBucket: The specified bucket does not exist";
    return undefined;
  },
};
