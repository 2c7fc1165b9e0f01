import { parseArgs } from "node:util";
import { EmulatorCallError, EmulatorClient } from "../client.js";

export const COMMANDS = ["reset", "scenario", "deliver", "run-schedule", "clock", "synthesize", "requests", "inbox"] as const;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "+1h", "-30m", "+90s", "+2d" → milliseconds; null when it is not a duration. */
export function duration(text: string): number | null {
  const m = /^([+-])(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text);
  return m ? (m[1] === "-" ? -1 : 1) * Number(m[2]) * UNITS[m[3]!]! : null;
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/**
 * `ts-channels-emulator <command>`: one call to a running emulator's admin API. Exits 1 with the
 * emulator's own text when it refuses, 2 on a bad command line.
 */
export async function runCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // "-30m" is a duration, not a short option.
  const negative = argv.filter((a) => /^-\d/.test(a));
  let parsed: { values: Record<string, string | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv.filter((a) => !negative.includes(a)),
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: "string" },
        namespace: { type: "string" },
        "admin-token": { type: "string" },
        limit: { type: "string" },
        org: { type: "string" },
      },
    }) as typeof parsed;
  } catch (err) {
    console.error(`[emulator] ${(err as Error).message}\n[emulator] Run with --help for the commands.`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = [...positionals, ...negative];
  const client = new EmulatorClient({
    url: values.url ?? env.EMULATOR_URL ?? "http://localhost:4010",
    ...((values.namespace ?? env.EMULATOR_NAMESPACE) && { namespace: values.namespace ?? env.EMULATOR_NAMESPACE }),
    ...((values["admin-token"] ?? env.EMULATOR_ADMIN_TOKEN) && { adminToken: values["admin-token"] ?? env.EMULATOR_ADMIN_TOKEN }),
  });
  const usage = (text: string) => {
    console.error(`[emulator] ${text}\n[emulator] Run with --help for the commands.`);
    return 2;
  };
  try {
    switch (command) {
      case "reset":
        print(await client.reset());
        return 0;
      case "scenario": {
        const [onOff, name] = rest;
        if ((onOff !== "on" && onOff !== "off") || !name)
          return usage("scenario takes on|off and a scenario name: scenario on aws-assume-role-denied");
        print(await (onOff === "on" ? client.scenarios.on(name) : client.scenarios.off(name)));
        return 0;
      }
      case "deliver":
        if (!rest[0]) return usage("deliver takes a webhook id or name: deliver Zapier");
        print(await client.deliver(rest[0]));
        return 0;
      case "run-schedule":
        if (!rest[0]) return usage("run-schedule takes a schedule id or name: run-schedule 'Weekly Sales Review' [--org ORG]");
        print(await client.runSchedule(rest[0], values.org));
        return 0;
      case "clock": {
        const arg = rest[0];
        if (arg === undefined) print(await client.clock.get());
        else if (arg === "freeze" || arg === "unfreeze") print(await client.clock.freeze(arg === "freeze"));
        else if (duration(arg) !== null) print(await client.clock.advance(duration(arg)!));
        else if (Number.isFinite(Date.parse(arg))) print(await client.clock.set(arg));
        else return usage(`clock takes +1h, -30m, an ISO time, freeze or unfreeze; got ${JSON.stringify(arg)}`);
        return 0;
      }
      case "synthesize": {
        const m = /^(\d+)(?:,(\d+))?$/.exec(rest[0] ?? "");
        if (!m) return usage("synthesize takes days and runs a day: synthesize 14,24");
        print(await client.synthesize({ days: Number(m[1]), ...(m[2] !== undefined && { runs_per_day: Number(m[2]) }) }));
        return 0;
      }
      case "requests":
        print(await client.requests.list({ limit: values.limit ?? "20" }));
        return 0;
      case "inbox":
        print(await client.inbox.list(rest[0]));
        return 0;
      default:
        return usage(`Unknown command ${JSON.stringify(command)}; the commands are ${COMMANDS.join(", ")}.`);
    }
  } catch (err) {
    if (err instanceof EmulatorCallError) {
      console.error(`[emulator] ${err.message}`);
      return 1;
    }
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (err instanceof TypeError && cause) {
      console.error(
        `[emulator] No emulator answers at ${client.url} (${cause.code ?? cause.message}): start one (ts-channels-emulator) or give its address with --url.`,
      );
      return 1;
    }
    throw err;
  }
}
