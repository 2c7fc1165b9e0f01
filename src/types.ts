/** Wire shapes as ThoughtSpot spells them (snake_case), plus the emulator's stored records. */

export type EventType = "LIVEBOARD_SCHEDULE";
export type Channel = "EMAIL" | "WEBHOOK";
export type JobStatus = "PENDING" | "RETRY" | "SUCCESS" | "FAILED";
export type Privilege =
  | "ADMINISTRATION"
  | "DEVELOPER"
  | "CAN_MANAGE_WEBHOOKS"
  | "APPLICATION_ADMINISTRATION";

export interface Org {
  id: string; // numeric string, "0" for Primary
  name: string;
  description?: string;
}

export interface UserRecord {
  id: string;
  name: string; // username
  display_name: string;
  email: string;
  password: string;
  privileges: string[];
  orgs: string[]; // org ids the user belongs to
  default_org: string;
}

export interface EventChannelConfig {
  event_type: EventType;
  channels: Channel[];
}

export interface Preferences {
  cluster: EventChannelConfig[];
  orgs: Record<string, EventChannelConfig[]>;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface WebhookAuthentication {
  API_KEY?: { key: string; value: string };
  BASIC_AUTH?: { username: string; password: string };
  BEARER_TOKEN?: string;
  OAUTH2?: { authorization_url: string; client_id: string; client_secret: string };
}

export interface SignatureVerification {
  type: "HMAC_SHA256";
  header: string;
  algorithm: "SHA256";
  secret: string;
}

export interface AwsS3Config {
  bucket_name: string;
  region: string;
  role_arn: string;
  external_id: string | null;
  path_prefix: string | null;
}

export interface GcpGcsConfig {
  bucket_name: string;
  service_account_email: string;
  path_prefix: string | null;
}

export interface StorageDestination {
  storage_type: "AWS_S3" | "GCP_GCS";
  storage_config: { aws_s3_config?: AwsS3Config; gcp_gcs_config?: GcpGcsConfig };
}

export interface IdName {
  id: string;
  name: string;
}

/** A webhook as stored: the wire shape with secrets in clear (redacted on the way out). */
export interface WebhookRecord {
  id: string;
  name: string;
  description: string | null;
  org: IdName;
  url: string;
  url_params: Record<string, unknown> | null;
  events: EventType[];
  authentication: WebhookAuthentication | null;
  signature_verification: SignatureVerification | null;
  additional_headers: KeyValue[] | null;
  creation_time_in_millis: number;
  modification_time_in_millis: number;
  created_by: IdName;
  last_modified_by: IdName;
  storage_destination: StorageDestination | null;
  status: "ENABLED" | "DISABLED";
}

export interface JobRecipient {
  type: "USER" | "EXTERNAL";
  id: string | null;
  name: string | null;
  email: string | null;
}

/** A delivery-history job in wire shape (POST /jobs/history/communication-channels/search). */
export interface ChannelHistoryJob {
  id: string;
  status: JobStatus;
  creation_time_in_millis: number;
  event: { type: EventType; id: string; name: string | null; run_id: string | null };
  recipients: JobRecipient[] | null;
  detail: string | null;
  try_count: number;
}

/** A history job with the keys the emulator indexes it by (channel = webhook id, org id). */
export interface JobRecord {
  ch: string;
  org: string;
  job: ChannelHistoryJob;
}

export interface TokenRecord {
  token: string;
  user_id: string;
  org_id: string;
  creation_time_in_millis: number;
  expiration_time_in_millis: number;
  revoked: boolean;
  kind: "token" | "session";
}

/** Everything one namespace holds except job history (kept in the append-only log). */
export interface NamespaceState {
  orgs: Org[];
  users: UserRecord[];
  secret_key: string;
  preferences: Preferences;
  webhooks: WebhookRecord[];
  tokens: TokenRecord[];
  /** Stable per-org AWS account id and external id shown by GET /webhooks/storage-config. */
  storage_identity: Record<string, { aws_account_id: string; external_id: string }>;
}

/** Who is calling: resolved from a bearer token or the session cookie. */
export interface Principal {
  user: UserRecord;
  org: Org;
  token: TokenRecord;
}
