import { createHash } from "node:crypto";
import type { AuthedContext } from "../context.js";
import type { Tx } from "../store/index.js";

/**
 * The AWS account and external id this "cluster" uses for an org: made (inside a change, with
 * `tx`) the first time it is needed, then stable.
 */
export function storageIdentity(ctx: AuthedContext, tx: Tx, orgId: string) {
  let identity = tx.state.storage_identity[orgId];
  if (!identity) {
    identity = { aws_account_id: ctx.ns.ids.awsAccountId(), external_id: ctx.ns.ids.externalId() };
    tx.putStorageIdentity(orgId, identity);
  }
  return identity;
}

type Identity = { aws_account_id: string; external_id: string };

/** An AWS-hosted cluster: ThoughtSpot's AWS account assumes the customer's role with the org's External ID. */
function awsToS3({ aws_account_id, external_id }: Identity) {
  return {
    storage_type: "OBJECT_STORAGE",
    provider: "AWS_S3",
    config: {
      config_type: "AWS_TO_S3_STORAGE",
      aws_account_id,
      trust_policy_template: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${aws_account_id}:root` },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": external_id } },
          },
        ],
      },
      setup_instructions: [
        "Create an IAM role in your AWS account for ThoughtSpot webhook file delivery.",
        `Attach the trust policy above so that AWS account ${aws_account_id} can assume the role with the External ID ${external_id}.`,
        "Grant the role s3:PutObject on the target bucket (and prefix, if you use path_prefix).",
        "Set storage_destination.storage_config.aws_s3_config on the webhook with bucket_name, region and role_arn.",
        "Validate the channel with POST /api/rest/2.0/system/communication-channels/validate.",
      ],
    },
  };
}

/**
 * A GCP-hosted cluster's Google service account, derived from the org's stable identity: its
 * numeric unique id (21 digits) and its email.
 */
function gcpServiceAccount({ aws_account_id, external_id }: Identity) {
  const digest = createHash("sha256").update(`${aws_account_id}/${external_id}`).digest();
  let id = String(1 + (digest[0]! % 9));
  for (let i = 1; id.length < 21; i++) id += String(digest[i % digest.length]! % 10);
  const project = `ts-cell-${digest.subarray(24, 28).toString("hex")}`;
  return { id, email: `ts-webhooks@${project}.iam.gserviceaccount.com` };
}

/** A GCP-hosted cluster delivering to S3: AWS trusts Google as an OIDC provider for the service account. */
function gcpToS3(sa: { id: string }) {
  return {
    storage_type: "OBJECT_STORAGE",
    provider: "AWS_S3",
    config: {
      config_type: "GCP_TO_S3_STORAGE",
      gcp_service_account_id: sa.id,
      oidc_provider: "accounts.google.com",
      trust_policy_template: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: "arn:aws:iam::YOUR_AWS_ACCOUNT_ID:oidc-provider/accounts.google.com" },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { "accounts.google.com:sub": sa.id } },
          },
        ],
      },
      setup_instructions: [
        "Register accounts.google.com as an OpenID Connect identity provider in AWS IAM.",
        "Create an IAM role that trusts that provider (web identity federation).",
        `Use the trust policy above: it lets only the Google service account ${sa.id} assume the role.`,
        "Grant the role s3:PutObject on the target bucket (and prefix, if you use path_prefix).",
        "Set storage_destination.storage_config.aws_s3_config on the webhook with bucket_name, region and role_arn.",
      ],
    },
  };
}

/** A GCP-hosted cluster delivering to GCS: its service account impersonates the customer's. */
function gcpToGcs(sa: { email: string }) {
  return {
    storage_type: "OBJECT_STORAGE",
    provider: "GCP_GCS",
    config: {
      config_type: "GCP_TO_GCS_STORAGE",
      service_account_email: sa.email,
      required_role: "roles/iam.serviceAccountTokenCreator",
      setup_instructions: [
        "In the Google Cloud console, open IAM & Admin > Service Accounts in the project of your bucket.",
        "Pick (or create) the service account that may write objects to the bucket.",
        `Grant ${sa.email} the role roles/iam.serviceAccountTokenCreator on that service account.`,
        "Set storage_destination.storage_config.gcp_gcs_config on the webhook with bucket_name and that service_account_email.",
      ],
    },
  };
}

/**
 * GET /webhooks/storage-config: a top-level JSON array. An AWS-hosted cluster (the default)
 * answers its AWS_TO_S3 entry; a GCP-hosted one (`--cloud gcp`) its GCP_TO_S3 and GCP_TO_GCS entries.
 */
export async function getStorageConfig(ctx: AuthedContext) {
  const orgId = ctx.principal.org.id;
  const identity = ctx.ns.state.storage_identity[orgId] ?? (await ctx.deps.store.mutate(ctx.ns, (tx) => storageIdentity(ctx, tx, orgId)));
  if (ctx.deps.config.cloud === "gcp") {
    const sa = gcpServiceAccount(identity);
    return [gcpToS3(sa), gcpToGcs(sa)];
  }
  return [awsToS3(identity)];
}
