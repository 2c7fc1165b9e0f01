import { ORG_SEARCH_PRIVILEGES, SYSTEM_INFO_PRIVILEGES } from "../schemas/common.js";
import { SearchOrgsRequest } from "../schemas/orgs.js";
import { searchOrgs } from "../services/orgs.js";
import { systemInfo } from "../services/system.js";
import { endpoint } from "./endpoint.js";

/** Orgs and the cluster's system information. */
export const orgEndpoints = [
  endpoint({
    method: "POST",
    path: "/orgs/search",
    operationId: "searchOrgs",
    access: ORG_SEARCH_PRIVILEGES,
    body: SearchOrgsRequest,
    status: 200,
    handler: (ctx, body) => searchOrgs(ctx.ns, ctx.principal.user, body),
  }),
  endpoint({
    method: "GET",
    path: "/system",
    operationId: "getSystemInformation",
    access: SYSTEM_INFO_PRIVILEGES,
    status: 200,
    handler: (ctx) => systemInfo(ctx),
  }),
];
