/**
 * `npm run bench:profile [-- --seconds N]`: where a read's CPU goes. For each read row of the
 * benchmark, one emulator (`node --cpu-prof dist/cli.js`, pinned like the benchmark, 100k stored
 * jobs) is loaded at 10 connections, stopped with SIGTERM so V8 writes its profile, and the
 * profile's self time is summed per owner: each of the emulator's own source files (through the
 * build's source maps), each dependency, Node's internals, the garbage collector. Writes
 * bench/PROFILE.md; the .cpuprofile files stay in the printed folder for Chrome DevTools.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { cachedData, cacheKey, copyForRun } from "./data.js";
import { runLoad } from "./load.js";
import { BASELINE_HONO_IO, buildAll, CLI, cliKnows, installCleanup, ROOT, setUpPinning, startServer } from "./procs.js";
import { call, getToken, historyByChannelEvent, historyByJobId, preferencesSearch, type Scenario, webhooksSearch } from "./scenarios.js";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "6" }, args: { type: "string", default: "" }, only: { type: "string" } },
});
const SECONDS = Number(values.seconds);
/** More emulator flags, e.g. --args "--journal-size 0" to see what the journal costs. */
const EXTRA = values.args.split(" ").filter(Boolean);
const log = (s: string) => console.log(`[profile] ${s}`);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, SourceMap | null>();
function sourceMapOf(file: string): SourceMap | null {
  if (!maps.has(file)) {
    try {
      maps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8"))));
    } catch {
      maps.set(file, null);
    }
  }
  return maps.get(file)!;
}

/** The owner of a frame: src/<file> for the emulator's own code, the package for a dependency, else a V8/Node bucket. */
function ownerOf(frame: Node["callFrame"]): { owner: string; where: string } {
  const { url, functionName, lineNumber, columnNumber } = frame;
  if (!url) return { owner: functionName.startsWith("(") ? functionName : "(native)", where: functionName || "(anonymous)" };
  if (url.startsWith("node:")) return { owner: "node internals", where: `${functionName || "(anonymous)"} ${url}` };
  const file = url.startsWith("file://") ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  if (pkg) return { owner: pkg[1]!, where: `${functionName || "(anonymous)"} ${pkg[1]}` };
  const map = sourceMapOf(file);
  const entry = map?.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
  if (entry?.originalSource) {
    const src = relative(
      ROOT,
      entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : join(ROOT, "dist", entry.originalSource),
    );
    return { owner: src, where: `${functionName || "(anonymous)"} ${src}:${(entry.originalLine ?? 0) + 1}` };
  }
  return { owner: relative(ROOT, file), where: `${functionName || "(anonymous)"} ${relative(ROOT, file)}:${lineNumber + 1}` };
}

/**
 * Self time (µs) per owner and per function, from the samples taken between `from` and `to`
 * (CLOCK_MONOTONIC µs, the clock of both V8's profile and process.hrtime on Linux).
 */
function selfTimes(p: Profile, from: number, to: number) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    at += dt;
    if (at < from || at > to) return;
    const node = byId.get(id)!;
    const { owner, where } = ownerOf(node.callFrame);
    if (owner === "(idle)") return;
    total += dt;
    owners.set(owner, (owners.get(owner) ?? 0) + dt);
    functions.set(where, (functions.get(where) ?? 0) + dt);
  });
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { total, owners: top(owners, 18), functions: top(functions, 15) };
}

const hrUs = () => Number(process.hrtime.bigint() / 1000n);

interface Measured {
  rps: number;
  cpuUsPerReq: number | undefined;
  requests: number;
  file: string;
  times: ReturnType<typeof selfTimes>;
}

/** Loads a server started with --cpu-prof, stops it so the profile is written, and sums the measured window. */
async function profiled(
  name: string,
  script: string,
  args: string[],
  s: Scenario,
  profDir: string,
  token: string | undefined,
  pin: ReturnType<typeof setUpPinning>,
): Promise<Measured & { token: string }> {
  const server = await startServer(name, script, args, pin, ["--cpu-prof", "--cpu-prof-dir", profDir]);
  const bearer = token ?? (await getToken(server.url));
  let from = 0;
  const load = await runLoad({
    url: server.url + s.path,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
    bodies: s.bodies,
    connections: 10,
    durationSec: SECONDS,
    warmupSec: 1,
    pid: server.pid,
    beforeMeasure: async () => void (from = hrUs()),
  });
  const to = hrUs();
  await server.terminate();
  const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no profile written in ${profDir}`);
  const times = selfTimes(JSON.parse(readFileSync(join(profDir, file), "utf8")) as Profile, from, to);
  return { rps: load.rps, cpuUsPerReq: load.cpuUsPerReq, requests: load.requests, file: join(profDir, file), times, token: bearer };
}

async function main() {
  installCleanup();
  log("building");
  await buildAll();
  const pin = setUpPinning();
  const data = await cachedData(100_000, await cacheKey(), log);
  const outDir = mkdtempSync(join(tmpdir(), "ts-emulator-profile-"));
  const scenarios: Scenario[] = [historyByJobId(data), historyByChannelEvent(data), preferencesSearch, webhooksSearch];
  const sections: string[] = [];
  for (const [i, s] of scenarios.entries()) {
    if (values.only && !s.name.includes(values.only)) continue;
    const emu = await profiled(
      s.name,
      CLI,
      [
        "--data-dir",
        copyForRun(data, join(outDir, `data-${i}`)),
        ...(cliKnows("--max-namespaces") ? ["--max-namespaces", "20000"] : []),
        ...EXTRA,
      ],
      s,
      join(outDir, `${i}-emulator`),
      undefined,
      pin,
    );
    // (a) of the benchmark: bare Hono reading and parsing the same body, answering as many bytes.
    const probe = await startServer("probe", CLI, ["--data-dir", copyForRun(data, join(outDir, `probe-${i}`))], pin);
    const answer = await call(probe.url, s.path, s.bodies[0], await getToken(probe.url));
    await probe.stop();
    const base = await profiled(
      "(a) Hono same I/O",
      BASELINE_HONO_IO,
      ["--bytes", String(Buffer.byteLength(answer.text)), "--status", String(answer.status)],
      s,
      join(outDir, `${i}-baseline`),
      emu.token,
      pin,
    );
    const per = (m: Measured, us: number | undefined) => (us === undefined ? "—" : (us / m.requests).toFixed(1));
    const emuOwners = new Map(emu.times.owners);
    const baseOwners = new Map(base.times.owners);
    const owners = [...new Set([...emuOwners.keys(), ...baseOwners.keys()])].sort(
      (a, b) => (emuOwners.get(b) ?? 0) - (emuOwners.get(a) ?? 0),
    );
    log(
      `${s.name}: emulator ${per(emu, emu.times.total)} µs/req profiled (${Math.round(emu.rps)} req/s), (a) ${per(base, base.times.total)} µs/req (${Math.round(base.rps)} req/s)`,
    );
    sections.push(
      `## ${s.name}\n\nEmulator: ${Math.round(emu.rps).toLocaleString("en-US")} req/s, ${emu.cpuUsPerReq?.toFixed(0)} µs of CPU per request by /proc; (a) Hono same I/O (${Buffer.byteLength(answer.text)} B): ${Math.round(base.rps).toLocaleString("en-US")} req/s, ${base.cpuUsPerReq?.toFixed(0)} µs. Profiles: \`${emu.file}\`, \`${base.file}\`.\n\n` +
        `| Self time per request, by owner (µs) | emulator | (a) |\n|---|--:|--:|\n` +
        `| **all (outside idle)** | **${per(emu, emu.times.total)}** | **${per(base, base.times.total)}** |\n` +
        `${owners.map((o) => `| ${o} | ${per(emu, emuOwners.get(o))} | ${per(base, baseOwners.get(o))} |`).join("\n")}\n\n` +
        `| Emulator's hottest functions (self time) | µs/req |\n|---|--:|\n${emu.times.functions.map(([f, us]) => `| \`${f.replace(/\|/g, "\\|")}\` | ${per(emu, us)} |`).join("\n")}\n`,
    );
  }
  const out = join(ROOT, "bench", "PROFILE.md");
  writeFileSync(
    out,
    `# Where a read's CPU goes\n\n- **Date**: ${new Date().toISOString()}\n- **How**: \`npm run bench:profile${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\` — per row, \`node --cpu-prof dist/cli.js\` on a copy of the 100k-job data set, and the benchmark's baseline (a) beside it, ${pin.prefix.length ? "each pinned to core 0 (load generator on core 1)" : "unpinned"}, 10 connections for ${SECONDS} s after a 1 s warm-up; the self time of every sample in the measured window outside "(idle)", divided by the requests answered in it, attributed through dist/*.js.map to the emulator's source files. Sampling adds its own cost, so the totals sit above the benchmark's CPU µs/req; compare the rows.\n\n${sections.join("\n")}`,
  );
  log(`wrote ${relative(ROOT, out)}; profiles in ${outDir}`);
}

await main();
