import type { z } from "zod";
import type { Ids } from "../random.js";

/**
 * Everything the emulator knows about one storage type: its request and stored config shapes,
 * the keys it uses on the wire, where its objects go and how its failures read.
 */
export interface StorageProvider<I = unknown, C = unknown> {
  storageType: string;
  /** Key under storage_destination.storage_config ("aws_s3_config"). */
  configKey: string;
  /** Key of the validation detail that describes the uploaded object ("aws_s3_info"). */
  infoKey: "aws_s3_info" | "gcp_gcs_info";
  input: z.ZodType<I>;
  stored: z.ZodType<C>;
  normalize(input: I, defaults: { externalId(): string }): C;
  bucket(config: C): string;
  pathPrefix(config: C): string | null;
  region(config: C): string | null;
  /** The text of a scenario `storage_error` kind this provider knows (undefined: not its kind). */
  errorText(kind: string, config: C, ids: Ids): string | undefined;
  /** The `errorMessage` of a delivery's failed upload for a scenario `storage_error` kind it knows. */
  uploadErrorText(kind: string, config: C): string | undefined;
}
