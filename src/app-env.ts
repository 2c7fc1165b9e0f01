import type { IncomingMessage, ServerResponse } from "node:http";
import type { Principal, RequestContext } from "./context.js";
import type { Messages } from "./schemas/messages.js";

/** The operation a request was routed to (set by the endpoint layer, read by the error renderer). */
export interface OperationInfo {
  operationId: string;
  /** Its 401/403/500 texts. */
  messages: Messages;
}

/** Hono typing: node-server bindings (absent in app.request tests) and per-request variables. */
export interface AppEnv {
  Bindings: { incoming?: IncomingMessage; outgoing?: ServerResponse };
  Variables: {
    rc: RequestContext;
    operation?: OperationInfo;
    credential?: string | undefined;
    /** For the journal: the request body as read, the caller, the response value, an error's trace id. */
    rawBody?: string;
    principal?: Principal | undefined;
    result?: unknown;
    traceId?: string;
  };
}
