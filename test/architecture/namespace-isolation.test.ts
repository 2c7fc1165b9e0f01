import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import { call, emulator, login, S3_DESTINATION } from "../support/index.js";

const ORG1 = 2100019165;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A namespace with one of everything: a webhook with storage, a validation (history + bucket object), a token, a scenario. */
async function populate(emu: Emulator, ns: string) {
  const token = await login(emu, "admin", ORG1, ns);
  const created = await call(
    emu,
    "POST",
    "/webhooks/create",
    { name: "Zapier", url: "https://hooks.zapier.com/x", events: ["LIVEBOARD_SCHEDULE"], storage_destination: S3_DESTINATION },
    { token, namespace: ns },
  );
  expect(created.status).toBe(200);
  const validated = await call(
    emu,
    "POST",
    "/system/communication-channels/validate",
    { channel_type: "WEBHOOK", channel_identifier: created.body.id, event_type: "LIVEBOARD_SCHEDULE" },
    { token, namespace: ns },
  );
  expect(validated.status).toBe(200);
  const on = await call(emu, "POST", "/_emulator/scenarios/slow-api/activate", undefined, { namespace: ns });
  expect(on.status).toBe(200);
  return { token, webhookId: created.body.id as string, jobId: validated.body.job_id as string };
}

type Seen = Awaited<ReturnType<typeof populate>>;

/** Every kind of namespaced state an admin or client can see, and how to tell it is there. */
const KINDS: { kind: string; present: (emu: Emulator, ns: string, seen: Seen) => Promise<boolean> }[] = [
  {
    kind: "records (webhooks in GET /_emulator/state)",
    present: async (emu, ns) => (await call(emu, "GET", "/_emulator/state", undefined, { namespace: ns })).body.webhooks.length > 0,
  },
  {
    kind: "tokens (count in state, and the token authenticates)",
    present: async (emu, ns, seen) => {
      const state = await call(emu, "GET", "/_emulator/state", undefined, { namespace: ns });
      const me = await call(emu, "GET", "/auth/session/user", undefined, { token: seen.token, namespace: ns });
      const has = state.body.tokens > 0;
      expect(me.status === 200).toBe(has);
      return has;
    },
  },
  {
    kind: "history (the validation job)",
    present: async (emu, ns) => {
      const admin = await login(emu, "admin", ORG1, ns);
      const { jobId } = seenBy.get(emu)!;
      const res = await call(
        emu,
        "POST",
        "/jobs/history/communication-channels/search",
        { channel_type: "WEBHOOK", job_ids: [jobId] },
        { token: admin, namespace: ns },
      );
      expect(res.status).toBe(200);
      return res.body.jobs.length > 0;
    },
  },
  {
    kind: "buckets (GET /_emulator/buckets)",
    present: async (emu, ns) => (await call(emu, "GET", "/_emulator/buckets", undefined, { namespace: ns })).body.objects.length > 0,
  },
  {
    kind: "scenarios (the active set)",
    present: async (emu, ns) => (await call(emu, "GET", "/_emulator/scenarios", undefined, { namespace: ns })).body.active.length > 0,
  },
];
const seenBy = new Map<Emulator, Seen>();

describe.each([
  { storage: "in memory", dataDir: false },
  { storage: "on disk", dataDir: true },
])("namespace isolation ($storage)", ({ dataDir }) => {
  async function setup() {
    const dir = dataDir ? await mkdtemp(join(tmpdir(), "isolation-")) : null;
    if (dir) cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const emu = await emulator(dir ? { dataDir: dir } : {});
    cleanups.push(() => emu.close());
    const seen = await populate(emu, "alpha");
    seenBy.set(emu, seen);
    return { emu, seen };
  }

  it.each(KINDS)("keeps $kind invisible from another namespace", async ({ present }) => {
    const { emu, seen } = await setup();
    expect(await present(emu, "alpha", seen)).toBe(true);
    expect(await present(emu, "beta", seen)).toBe(false);
  });

  it.each(KINDS)("clears $kind when the namespace is reset, and only there", async ({ present }) => {
    const { emu, seen } = await setup();
    const other = await populate(emu, "gamma");
    const reset = await call(emu, "POST", "/_emulator/reset", { namespace: "alpha" });
    expect(reset.status).toBe(200);
    expect(await present(emu, "alpha", seen)).toBe(false);
    seenBy.set(emu, other);
    expect(await present(emu, "gamma", other)).toBe(true);
  });

  it.each(KINDS)("clears $kind in every namespace on a reset of all", async ({ present }) => {
    const { emu, seen } = await setup();
    const other = await populate(emu, "gamma");
    await emu.reset();
    expect(await present(emu, "alpha", seen)).toBe(false);
    seenBy.set(emu, other);
    expect(await present(emu, "gamma", other)).toBe(false);
  });
});

describe("bucket objects", () => {
  it("of two namespaces with the same fixtures do not overwrite each other on disk", async () => {
    const dir = await mkdtemp(join(tmpdir(), "isolation-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const emu = await emulator({ dataDir: dir });
    cleanups.push(() => emu.close());
    await populate(emu, "alpha");
    await populate(emu, "beta");
    const a = (await call(emu, "GET", "/_emulator/buckets", undefined, { namespace: "alpha" })).body.objects;
    const b = (await call(emu, "GET", "/_emulator/buckets", undefined, { namespace: "beta" })).body.objects;
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    await call(emu, "POST", "/_emulator/reset", { namespace: "alpha" });
    expect((await call(emu, "GET", "/_emulator/buckets", undefined, { namespace: "beta" })).body.objects).toEqual(b);
  });
});
