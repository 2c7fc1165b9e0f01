import type { AuthedContext } from "../context.js";
import { CLUSTER_ADMIN } from "../schemas/common.js";

/*
 * The well-known ids of a cluster's built-in objects, as in the spec's SystemInfo example (the
 * same on every cluster, like tsadmin's id; docs/decisions.md, "Identifiers").
 */
const BUILT_IN = {
  system_user_id: "67e15c06-d153-4924-a4cd-ff615393b60f",
  super_user_id: "0f0dd0f7-7411-4195-a4aa-0dc6b58413c9",
  hidden_object_id: "31745bb4-defd-4e8b-8de9-8fd01db78827",
  system_group_id: "179d8867-cf36-4a8d-a019-63a226fd3196",
  tsadmin_user_id: "59481331-ee53-42be-a548-bd87be6ddd4a",
  admin_group_id: "d0326b56-ef23-4c8a-8327-a30e99bcc72b",
  all_tables_connection_id: "bfc6feb4-8dac-402c-8ae8-78b43d318777",
  all_user_group_id: "b25ee394-9d13-49e3-9385-cd97f5b253b4",
};

/**
 * GET /system: the SystemInfo of a ThoughtSpot Cloud cluster running the emulated release. Every
 * property of the spec's schema is present; clients such as cs_tools read id, name,
 * release_version (three dot parts), an IANA time_zone, type ("SAAS" = cloud) and the user ids.
 */
export function systemInfo(ctx: AuthedContext) {
  const { ns, deps } = ctx;
  const tsadmin = ns.state.users.find((u) => u.name === "tsadmin") ?? ns.state.users.find((u) => u.privileges.includes(CLUSTER_ADMIN));
  return {
    id: "cluster-emulator",
    name: "emulator",
    release_version: deps.config.release,
    time_zone: "America/Los_Angeles",
    locale: "en-US",
    date_format: "MM/dd/yyyy",
    api_version: "v1",
    type: "SAAS",
    environment: "PROD",
    license: "EAE",
    date_time_format: "MM/dd/yyyy h:mm a",
    time_format: "HH:mm:ss",
    system_user_id: BUILT_IN.system_user_id,
    super_user_id: BUILT_IN.super_user_id,
    hidden_object_id: BUILT_IN.hidden_object_id,
    system_group_id: BUILT_IN.system_group_id,
    tsadmin_user_id: tsadmin?.id ?? BUILT_IN.tsadmin_user_id,
    admin_group_id: BUILT_IN.admin_group_id,
    all_tables_connection_id: BUILT_IN.all_tables_connection_id,
    all_user_group_id: BUILT_IN.all_user_group_id,
    accept_language: "en-US",
    all_user_group_member_user_count: ns.state.users.length,
    logical_model_version: 43,
  };
}
