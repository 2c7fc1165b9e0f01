import type { Deps } from "../context.js";

/** Back to the fixtures: one namespace, or every one; each one's event stream hears it. */
export async function resetNamespaces(deps: Deps, name?: string): Promise<string[]> {
  const names = await deps.namespaces.reset(name);
  for (const n of names) deps.events.of(n).emit("reset", { namespace: n });
  return names;
}
