import type { Ids } from "../random.js";
import type { StorageDestination } from "../types.js";

/**
 * Storage failure texts as real clusters print them (contract §1.3). `kind` is a scenario's
 * `storage_error`: a known kind below, or any other string used as the literal error text.
 */
export function storageErrorText(kind: string, dest: StorageDestination, ids: Ids): string {
  const s3 = dest.storage_config.aws_s3_config;
  const gcs = dest.storage_config.gcp_gcs_config;
  switch (kind) {
    case "ASSUME_ROLE_DENIED": {
      const role = s3?.role_arn ?? "arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole";
      const cell = `cell-${ids.hex(8)}`;
      return (
        `failed to assume role '${role}': operation error STS: AssumeRole, https response error StatusCode: 403, ` +
        `RequestID: ${ids.uuid()}, api error AccessDenied: User: arn:aws:sts::${ids.awsAccountId()}:assumed-role/` +
        `${cell}-coms-lambda-role/${cell}-coms-api is not authorized to perform: sts:AssumeRole on resource: ${role}. ` +
        `Ensure the role's trust policy allows ThoughtSpot and the External ID matches`
      );
    }
    case "PUT_OBJECT_DENIED":
      return gcs
        ? `Access denied. Ensure the service account ${gcs.service_account_email} has storage.objects.create permission on the target bucket.`
        : "Access denied. Ensure the IAM role has s3:PutObject permission on the target bucket.";
    case "BUCKET_NOT_FOUND":
      return `The specified bucket does not exist: ${s3?.bucket_name ?? gcs?.bucket_name}`;
    case "IMPERSONATION_DENIED":
      return `failed to impersonate service account '${gcs?.service_account_email ?? "unknown"}': googleapi: Error 403: Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist)., forbidden`;
    default:
      return kind;
  }
}
