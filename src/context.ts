import type { Background } from "./background.js";
import type { Clock } from "./clock.js";
import type { EmulatorConfig } from "./config.js";
import type { OAuthTokens } from "./delivery/outgoing-auth.js";
import type { Lookup } from "./delivery/targets.js";
import type { OutgoingFetch } from "./delivery/transport.js";
import type { Logger } from "./log.js";
import type { EventBus, EventHub } from "./observe/events.js";
import type { Inbox } from "./observe/inbox.js";
import type { Fired, Journal } from "./observe/journal.js";
import type { Outbox } from "./observe/outbox.js";
import type { ScenarioEngine, ScenarioState } from "./scenarios/engine.js";
import type { Org } from "./schemas/orgs.js";
import type { TokenRecord, UserRecord } from "./schemas/records.js";
import type { BucketSpace } from "./storage/buckets.js";
import type { Store } from "./store/index.js";
import type { Namespace as NamespaceOf, NamespaceRegistry } from "./store/registry.js";

/** What every namespace holds besides the store's records: registered with the registry in deps.ts. */
export interface NamespaceParts {
  /** Delivery retries running for this namespace; a reset stops them first. */
  work: Background;
  buckets: BucketSpace;
  scenarios: ScenarioState;
  /** OAuth2 client-credentials tokens fetched for this namespace's webhooks. */
  oauth: OAuthTokens;
  /** The last requests it received and the calls it made (GET /_emulator/requests). */
  journal: Journal;
  /** What its webhooks received (GET /_emulator/inbox). */
  inbox: Inbox;
  /** The e-mails its schedule runs sent (GET /_emulator/outbox). */
  outbox: Outbox;
  /** Its live event stream (GET /_emulator/events). */
  events: EventBus;
}

export type Namespace = NamespaceOf<NamespaceParts>;

/** Everything a service needs, made once by createDeps. */
export interface Deps {
  config: EmulatorConfig;
  store: Store;
  namespaces: NamespaceRegistry<NamespaceParts>;
  clock: Clock;
  /** Outgoing HTTP (validation test POSTs, deliveries, OAuth2 token requests). */
  fetch: OutgoingFetch;
  /** DNS for outgoing calls to host names (every address is checked before a call). */
  lookup: Lookup;
  scenarios: ScenarioEngine;
  /** All background work; stopped by close(). */
  background: Background;
  /** Where the emulator listens (set by startEmulator once it does): the URL used in payloads, and its own port and addresses, never a webhook receiver. */
  origin: { url: string; listening: Listening | null };
  logger: Logger;
  /** The event streams of every namespace, by name. */
  events: EventHub;
}

/** The port the emulator listens on, whether only on loopback, and the addresses it answers on. */
export interface Listening {
  port: number;
  loopbackOnly: boolean;
  addresses: ReadonlySet<string>;
}

/** A request's view: the deps, its namespace and the scenarios named in its X-Emulator-Scenario header. */
export interface RequestContext {
  deps: Deps;
  ns: Namespace;
  requestScenarios: readonly string[];
  /** Scenario rules that fired for this request (the journal shows them). */
  fired: Fired[];
}

/** Who is calling: resolved from a bearer token or the session cookie. */
export interface Principal {
  user: UserRecord;
  org: Org;
  token: TokenRecord;
}

export interface AuthedContext extends RequestContext {
  principal: Principal;
}
