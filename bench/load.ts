/** One benchmark row: a discarded warm-up, then a fixed-duration autocannon run with peak-RSS sampling. */

import { createHistogram } from "node:perf_hooks";
import autocannon, { type Options, type Result } from "autocannon";
import { cpuMs, sampleRss } from "./procs.js";

export interface LoadSpec {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  /** One body, or several cycled per connection (so repeated writes really change state). */
  bodies: unknown[];
  connections: number;
  durationSec: number;
  warmupSec: number;
  /** Server pid for RSS sampling. */
  pid: number;
  /** Called after the warm-up, right before the measured run (e.g. to reset the server's metrics). */
  beforeMeasure?: () => Promise<unknown>;
}

export interface LoadResult {
  /** Mean of the per-second request counts. */
  rps: number;
  /** Latency of 2xx responses, ms (µs precision). */
  p50: number;
  p99: number;
  /** non-2xx + socket errors (timeouts included). */
  errors: number;
  requests: number;
  /** Length of the measured part, s. */
  durationSec: number;
  peakRss?: number;
  /** Server CPU time (user + system) per request during the measured part, µs: steadier than req/s when other work shares the core. */
  cpuUsPerReq?: number;
}

function cannon(spec: LoadSpec, durationSec: number, onLatencyMs?: (ms: number) => void): Promise<Result> {
  const requests = spec.bodies.map((b) => ({ method: spec.method, body: JSON.stringify(b) }));
  const opts: Options = {
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    connections: spec.connections,
    duration: durationSec,
    timeout: 10,
    pipelining: 1,
    requests,
  };
  return new Promise((resolve, reject) => {
    const inst = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    if (onLatencyMs) inst.on("response", (_c, status, _bytes, ms) => void (status >= 200 && status < 300 && onLatencyMs(ms)));
  });
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupSec > 0) await cannon(spec, spec.warmupSec);
  await spec.beforeMeasure?.();
  const hist = createHistogram();
  const rss = sampleRss(spec.pid);
  const cpu0 = cpuMs(spec.pid);
  let peakRss: number | undefined;
  const result = await cannon(spec, spec.durationSec, (ms) => hist.record(Math.max(1, Math.round(ms * 1000)))).finally(() => {
    peakRss = rss.stop();
  });
  const cpu1 = cpuMs(spec.pid);
  const rps = result.requests.average || result.requests.total / Math.max(result.duration, 1e-3);
  return {
    rps,
    p50: hist.count ? hist.percentile(50) / 1000 : NaN,
    p99: hist.count ? hist.percentile(99) / 1000 : NaN,
    errors: result.errors + result.non2xx,
    requests: result.requests.total,
    durationSec: result.duration,
    peakRss,
    cpuUsPerReq:
      cpu0 !== undefined && cpu1 !== undefined && result.requests.total ? ((cpu1 - cpu0) * 1000) / result.requests.total : undefined,
  };
}
