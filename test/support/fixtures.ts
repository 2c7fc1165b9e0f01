/** Well-known values of the default fixtures (fixtures/fixtures.json) and sample request bodies. */
import { readFileSync } from "node:fs";

export const API = "/api/rest/2.0";

/** The orgs of the default fixtures, by name. */
export const ORGS = { primary: 0, testOrg: 1532970882, testOrg1: 2100019165 } as const;

export const USERS = {
  admin: { username: "tsadmin", password: "admin" },
  developer: { username: "developer", password: "developer" },
  webhookManager: { username: "webhook-manager", password: "webhook-manager" },
  appAdmin: { username: "app-admin", password: "app-admin" },
  analyst: { username: "analyst", password: "analyst" },
} as const;
export type User = keyof typeof USERS;

export const WEBHOOK = {
  name: "Zapier",
  url: "https://hooks.zapier.com/hooks/catch/123/abc",
  events: ["LIVEBOARD_SCHEDULE"],
};

/** A webhook's keys in the order real clusters print them (docs/decisions.md, "Webhooks"). */
export const WEBHOOK_KEY_ORDER = [
  "id",
  "name",
  "description",
  "org",
  "url",
  "url_params",
  "events",
  "authentication",
  "signature_verification",
  "additional_headers",
  "creation_time_in_millis",
  "modification_time_in_millis",
  "created_by",
  "last_modified_by",
  "storage_destination",
  "status",
];

export const S3_DESTINATION = {
  storage_type: "AWS_S3",
  storage_config: {
    aws_s3_config: {
      bucket_name: "my-webhook-files",
      region: "us-east-1",
      role_arn: "arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole",
    },
  },
};

const FIXTURES_FILE = new URL("../../fixtures/fixtures.json", import.meta.url);

/** A fresh copy of fixtures/fixtures.json (free to change). */
export function readFixtures(): any {
  return JSON.parse(readFileSync(FIXTURES_FILE, "utf8"));
}

/** fixtures/fixtures.json as parsed once (clone it before changing it). */
export const FIXTURES = readFixtures();

/** The id of a fixture user, by user name. */
export function userId(name: string): string {
  return FIXTURES.users.find((u: { name: string }) => u.name === name).id;
}
