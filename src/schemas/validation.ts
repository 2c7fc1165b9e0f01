import { z } from "zod";
import { Identifier } from "../limits.js";
import { EventType } from "./common.js";

/** Channel validation: the request body and the detail of each step. */

export const ValidateChannelRequest = z.object({
  channel_type: z.literal("WEBHOOK"),
  channel_identifier: Identifier.min(1),
  event_type: EventType,
});
export type ValidateChannelRequest = z.infer<typeof ValidateChannelRequest>;

export type ValidationStep = "HTTP_CONNECTION_CHECK" | "STORAGE_FILE_UPLOAD_CHECK";

export interface StoredObjectInfo {
  bucket_name: string;
  file_name: string;
  object_key: string;
}

export interface ValidationDetail {
  validation_step: ValidationStep;
  status: "SUCCESS" | "FAILED";
  http_status: number | null;
  error_message: string | null;
  aws_s3_info: StoredObjectInfo | null;
  gcp_gcs_info?: StoredObjectInfo | null;
}
