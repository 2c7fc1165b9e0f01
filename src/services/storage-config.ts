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

/** GET /webhooks/storage-config: a top-level JSON array (one AWS-hosted entry). */
export async function getStorageConfig(ctx: AuthedContext) {
  const orgId = ctx.principal.org.id;
  const { aws_account_id, external_id } =
    ctx.ns.state.storage_identity[orgId] ?? (await ctx.deps.store.mutate(ctx.ns, (tx) => storageIdentity(ctx, tx, orgId)));
  return [
    {
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
    },
  ];
}
