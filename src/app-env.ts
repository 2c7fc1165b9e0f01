import type { IncomingMessage, ServerResponse } from "node:http";
import type { Endpoint } from "./api/endpoint.js";
import type { RequestContext } from "./context.js";

/** Hono typing: node-server bindings (absent in app.request tests) and per-request variables. */
export interface AppEnv {
  Bindings: { incoming?: IncomingMessage; outgoing?: ServerResponse };
  Variables: { rc: RequestContext; operation?: Endpoint; credential?: string | undefined };
}
