import { SearchOrgsRequest } from "../schemas/orgs.js";
import { searchOrgs } from "../services/orgs.js";
import { endpoint } from "./endpoint.js";

export const orgEndpoints = [
  endpoint({
    method: "POST",
    path: "/orgs/search",
    operationId: "searchOrgs",
    phrase: "search orgs",
    access: "authenticated",
    body: SearchOrgsRequest,
    status: 200,
    handler: (ctx, body) => searchOrgs(ctx.ns, ctx.principal.user, body),
  }),
];
