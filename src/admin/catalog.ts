import { z } from "zod";
import { FixturesSchema } from "../fixtures.js";
import { ScenarioFileSchema } from "../scenarios/schema.js";
import {
  ClockRequest,
  DeliveryRequest,
  HistogramQuery,
  HistoryQuery,
  InboxQuery,
  OutboxQuery,
  RequestMatcher,
  RequestsQuery,
  ResetRequest,
  ScheduleRunQuery,
  SynthesizeRequest,
} from "../schemas/admin.js";

/** One emulator-only route: what GET /_emulator lists, and what openapi.json describes. */
export interface AdminRoute {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Hono style (":name"). */
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** What it answers, when not JSON. */
  produces?: string;
}

/** Every route under /_emulator (a test checks it against the routes mounted). */
export const ADMIN_ROUTES: AdminRoute[] = [
  { method: "GET", path: "/_emulator", summary: "This list of the admin routes." },
  {
    method: "GET",
    path: "/_emulator/openapi.json",
    summary: "OpenAPI 3.1 description of the admin routes and the emulated ThoughtSpot endpoints.",
  },
  { method: "GET", path: "/_emulator/docs", summary: "The API reference page (works offline).", produces: "text/html" },
  {
    method: "GET",
    path: "/_emulator/schemas/:name",
    summary: "JSON Schema of scenario files (scenario.json) and fixtures files (fixtures.json).",
  },
  { method: "GET", path: "/_emulator/health", summary: "Status, version, uptime, the clock and the persistence mode." },
  { method: "GET", path: "/_emulator/metrics", summary: "Event-loop delay, memory, history jobs, namespaces and group commits." },
  { method: "POST", path: "/_emulator/metrics/reset", summary: "Resets the event-loop delay histogram." },
  { method: "POST", path: "/_emulator/reset", summary: "Back to the fixtures: one namespace (body or header) or all.", body: ResetRequest },
  {
    method: "GET",
    path: "/_emulator/state",
    summary:
      "The namespace's orgs, users (no passwords), preferences, webhooks (redacted), Liveboards, schedules (with their next run) and counts.",
  },
  { method: "GET", path: "/_emulator/namespaces", summary: "Every namespace that exists now (default first among them)." },
  {
    method: "GET",
    path: "/_emulator/history",
    summary: "Every history job of the namespace within retention, newest first, filtered and paged (the dashboard's history).",
    query: HistoryQuery,
  },
  {
    method: "GET",
    path: "/_emulator/history/histogram",
    summary: "History jobs per day and status over the retention window.",
    query: HistogramQuery,
  },
  { method: "GET", path: "/_emulator/ui", summary: "The dashboard (redirects to /_emulator/ui/).", produces: "text/html" },
  { method: "GET", path: "/_emulator/ui/:page", summary: "A dashboard page (no data in it: it reads the routes).", produces: "text/html" },
  { method: "GET", path: "/_emulator/ui/assets/:file", summary: "The dashboard's scripts and style sheet.", produces: "text/javascript" },
  { method: "GET", path: "/_emulator/buckets", summary: "The objects storage checks and deliveries put in the namespace's local buckets." },
  { method: "GET", path: "/_emulator/clock", summary: "The emulator clock." },
  { method: "POST", path: "/_emulator/clock", summary: "Moves, sets, freezes or unfreezes the clock.", body: ClockRequest },
  { method: "GET", path: "/_emulator/scenarios", summary: "Available scenarios and the namespace's active ones with hit counts." },
  {
    method: "POST",
    path: "/_emulator/scenarios/:name/activate",
    summary: "Switches a scenario on in the namespace (it wins over earlier ones).",
  },
  { method: "POST", path: "/_emulator/scenarios/:name/deactivate", summary: "Switches a scenario off in the namespace." },
  {
    method: "PUT",
    path: "/_emulator/scenarios/active",
    summary: "Replaces the namespace's active set with inline rules.",
    body: ScenarioFileSchema.partial({ name: true }),
  },
  {
    method: "POST",
    path: "/_emulator/deliveries",
    summary: "Fires one Liveboard schedule run at a webhook: a real signed delivery with retries.",
    body: DeliveryRequest,
  },
  {
    method: "POST",
    path: "/_emulator/schedules/:schedule/run",
    summary:
      "Fires one run of a schedule (id or name; ?org= when names collide) now, whatever its status, through its org's channels; answers once it is recorded as started.",
    query: ScheduleRunQuery,
  },
  { method: "POST", path: "/_emulator/jobs/synthesize", summary: "Synthesizes realistic delivery history.", body: SynthesizeRequest },
  { method: "GET", path: "/_emulator/requests", summary: "The request journal, newest first.", query: RequestsQuery },
  { method: "DELETE", path: "/_emulator/requests", summary: "Clears the namespace's journal." },
  {
    method: "POST",
    path: "/_emulator/requests/find",
    summary: "Requests matching a matcher, with near misses when none do.",
    body: RequestMatcher,
  },
  { method: "POST", path: "/_emulator/inbox/:name", summary: "The built-in webhook receiver (multipart deliveries and validation POSTs)." },
  {
    method: "GET",
    path: "/_emulator/inbox",
    summary: "What the namespace's webhooks received; long-poll with after and wait_ms.",
    query: InboxQuery,
  },
  { method: "GET", path: "/_emulator/inbox/:name", summary: "What one inbox (or webhook) received.", query: InboxQuery },
  {
    method: "GET",
    path: "/_emulator/inbox/:name/:id/file",
    summary: "A received message's file part.",
    produces: "application/octet-stream",
  },
  { method: "DELETE", path: "/_emulator/inbox", summary: "Clears the namespace's inbox." },
  { method: "DELETE", path: "/_emulator/inbox/:name", summary: "Clears one inbox." },
  {
    method: "GET",
    path: "/_emulator/outbox",
    summary: "The e-mails schedule runs sent through the EMAIL channel (captured); long-poll with after and wait_ms.",
    query: OutboxQuery,
  },
  { method: "DELETE", path: "/_emulator/outbox", summary: "Clears the namespace's outbox." },
  {
    method: "GET",
    path: "/_emulator/events",
    summary: "The namespace's live event stream (Server-Sent Events).",
    produces: "text/event-stream",
  },
];

/** JSON Schema of a zod schema as its input is written (defaults optional, transforms by their input). */
export const jsonSchemaOf = (schema: z.ZodType): Record<string, unknown> =>
  z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;

/** The JSON Schemas shipped for the files users write. */
export const FILE_SCHEMAS: Record<string, () => Record<string, unknown>> = {
  "scenario.json": () => ({
    ...jsonSchemaOf(ScenarioFileSchema),
    $id: "https://thoughtspot-channels-emulator.local/schemas/scenario.json",
    title: "Emulator scenario file",
  }),
  "fixtures.json": () => ({
    ...jsonSchemaOf(FixturesSchema),
    $id: "https://thoughtspot-channels-emulator.local/schemas/fixtures.json",
    title: "Emulator fixtures file",
  }),
};
