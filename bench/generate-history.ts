/**
 * Writes a data dir whose history.jsonl holds `jobs` delivery jobs: one target webhook with a fixed,
 * realistic history (24 runs a day over the retention window, the same at every size) plus as many
 * other channels (deleted webhooks of testOrg1) as needed to reach the total. Returns what the
 * benchmark queries: the target channel, one of its schedule ids and one job id.
 */

import { once } from "node:events";
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { synthesizeHistory } from "../src/jobs/synthesize.js";
import { createIds, seededRandom } from "../src/random.js";
import { lineOf } from "../src/store/history-lines.js";

export const TARGET_CHANNEL = "9185f9be-f237-42bf-b452-c2dc897e1673";
export const ORG = "2100019165";
const DAY = 86_400_000;

export interface BenchData {
  dir: string;
  jobs: number;
  channel: string;
  scheduleId: string;
  jobId: string;
}

export async function generateDataDir(dir: string, jobs: number, now: number, seed = 1): Promise<BenchData> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const out = createWriteStream(join(dir, "history.jsonl"));
  const write = async (lines: string[]) => {
    if (!out.write(`${lines.join("\n")}\n`)) await once(out, "drain");
  };
  const base = { orgId: ORG, now, retentionMs: 3 * DAY, days: 3, failureRate: 0.05, retryRate: 0.1, users: [] };
  const target = synthesizeHistory({ ...base, channelId: TARGET_CHANNEL, runsPerDay: 24, seed });
  await write(target.map((r) => lineOf("default", r, JSON.stringify(r.job))));
  let written = target.length;
  const ids = createIds(seededRandom(seed, "bench-channels"));
  const perChannel = 3_000;
  for (let i = 0; written < jobs; i++) {
    const n = Math.min(perChannel, jobs - written);
    const records = synthesizeHistory({ ...base, channelId: ids.uuid(), runsPerDay: n / 3, seed: seed + i + 1 }).slice(0, n);
    if (records.length === 0) break;
    await write(records.map((r) => lineOf("default", r, JSON.stringify(r.job))));
    written += records.length;
  }
  out.end();
  await once(out, "finish");
  const data: BenchData = {
    dir,
    jobs: written,
    channel: TARGET_CHANNEL,
    scheduleId: target[0].job.event.id,
    jobId: target[target.length - 1].job.id,
  };
  writeFileSync(join(dir, "bench-meta.json"), JSON.stringify(data));
  return data;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, n] = process.argv.slice(2);
  const t = performance.now();
  const data = await generateDataDir(dir, Number(n), Date.now());
  console.log(JSON.stringify(data), `${((performance.now() - t) / 1000).toFixed(1)} s`);
}
