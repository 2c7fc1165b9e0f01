/**
 * The disk's own ceiling, measured on the filesystem of the data dirs: the latency of appending a
 * ~200 B line and fdatasyncing it (what every group commit waits for at least once), and the cost
 * of an atomic replace (temp file written and fsynced, renamed over the old one, directory fsynced).
 */
import { closeSync, fdatasyncSync, fsyncSync, openSync, renameSync, rmSync, statfsSync, writeSync } from "node:fs";
import { join } from "node:path";

export interface Latency {
  n: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

export interface DiskCeiling {
  dir: string;
  filesystem: string;
  /** Append 200 B + fdatasync. */
  fdatasync: Latency;
  /** 1000 / mean fdatasync ms: commits a second with one write in flight. */
  commitsPerSec: number;
  /** 2 KB temp file + fsync + rename + directory fsync. */
  replace: Latency;
}

/** statfs magic numbers of the filesystems a data dir is likely on. */
const FS_TYPES: Record<number, string> = {
  61267: "ext2/3/4",
  1481003842: "xfs",
  2435016766: "btrfs",
  16914836: "tmpfs",
  2035054128: "overlayfs",
  801189825: "zfs",
  26985: "nfs",
  1702057286: "fuse",
};

function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  return { n: s.length, mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), p50: at(50), p99: at(99), max: s.at(-1) ?? NaN };
}

/** Synchronous on purpose: the device's own latency, without the libuv thread-pool hop the servers pay. */
export function measureDisk(dir: string, opts: { appends: number; replaces: number; maxMs: number }): DiskCeiling {
  let filesystem = "unknown";
  try {
    const type = Number(statfsSync(dir).type);
    filesystem = FS_TYPES[type] ?? `statfs type 0x${type.toString(16)}`;
  } catch {}

  const file = join(dir, "disk-probe.jsonl");
  const line = Buffer.from(`{"ns":"default","op":"set","pad":"${"x".repeat(163)}"}\n`); // 200 B, an op line's size
  const appends: number[] = [];
  const fd = openSync(file, "w", 0o600);
  const deadline = performance.now() + opts.maxMs;
  try {
    for (let i = 0, pos = 0; i < opts.appends && performance.now() < deadline; i++, pos += line.length) {
      const t = performance.now();
      writeSync(fd, line, 0, line.length, pos);
      fdatasyncSync(fd);
      appends.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }

  const target = join(dir, "disk-probe.json");
  const tmp = `${target}.tmp`;
  const content = Buffer.alloc(2048, "x");
  const replaces: number[] = [];
  const replaceDeadline = performance.now() + opts.maxMs / 2;
  try {
    for (let i = 0; i < opts.replaces && performance.now() < replaceDeadline; i++) {
      const t = performance.now();
      const f = openSync(tmp, "w", 0o600);
      writeSync(f, content);
      fsyncSync(f);
      closeSync(f);
      renameSync(tmp, target);
      const d = openSync(dir, "r");
      try {
        fsyncSync(d);
      } finally {
        closeSync(d);
      }
      replaces.push(performance.now() - t);
    }
  } finally {
    rmSync(target, { force: true });
    rmSync(tmp, { force: true });
  }

  const fdatasync = latency(appends);
  return { dir, filesystem, fdatasync, commitsPerSec: 1000 / fdatasync.mean, replace: latency(replaces) };
}
