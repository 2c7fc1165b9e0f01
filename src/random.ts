import { createHash, randomBytes } from "node:crypto";
import { customRandom } from "nanoid";

/** A source of random bytes and numbers: seeded (reproducible) or crypto-backed. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  bytes(n: number): Uint8Array;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** A fresh 32-bit seed derived from this stream (for faker and child streams). */
  seed(): number;
}

/** sfc32: small, fast and good enough for test data; seeded from a string via cyrb128. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

function fromNext(next: () => number): Random {
  const rnd: Random = {
    next,
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    seed() {
      return Math.floor(next() * 2 ** 32);
    },
  };
  return rnd;
}

/** A reproducible stream for `seed` and a label (e.g. the namespace), so streams never interleave. */
export function seededRandom(seed: number | string, label = ""): Random {
  const [a, b, c, d] = cyrb128(`${seed}\u0000${label}`);
  const next = sfc32(a, b, c, d);
  for (let i = 0; i < 15; i++) next();
  return fromNext(next);
}

/** Crypto-backed, drawn from a pool refilled 4 KB at a time (one syscall per ~1000 numbers). */
export function cryptoRandom(): Random {
  let pool = randomBytes(4096);
  let at = 0;
  return fromNext(() => {
    if (at + 4 > pool.length) {
      pool = randomBytes(4096);
      at = 0;
    }
    const v = pool.readUInt32BE(at);
    at += 4;
    return v / 4294967296;
  });
}

/** Identifier formats (docs/decisions.md, "Identifiers"), all drawn from one Random. */
export interface Ids {
  uuid(): string;
  /** Delivery job id / payload eventId: `n.<uuid>`. */
  jobId(): string;
  /** Opaque base64 bearer token. */
  token(): string;
  /** `ts-webhook-<random>` external id. */
  externalId(): string;
  /** 12-digit AWS account id. */
  awsAccountId(): string;
  hex(n: number): string;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

export function createIds(random: Random): Ids {
  const alnum = customRandom("abcdefghijklmnopqrstuvwxyz0123456789", 12, (n) => random.bytes(n));
  const hex = (n: number) =>
    Array.from(random.bytes(Math.ceil(n / 2)), (b) => b.toString(16).padStart(2, "0"))
      .join("")
      .slice(0, n);
  const uuid = () => {
    const b = random.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    // One table lookup per byte (history synthesis makes two uuids per job).
    const h = (from: number, to: number) => {
      let out = "";
      for (let i = from; i < to; i++) out += HEX[b[i]];
      return out;
    };
    return `${h(0, 4)}-${h(4, 6)}-${h(6, 8)}-${h(8, 10)}-${h(10, 16)}`;
  };
  return {
    uuid,
    jobId: () => `n.${uuid()}`,
    token: () => Buffer.from(random.bytes(48)).toString("base64"),
    externalId: () => `ts-webhook-${alnum()}`,
    awsAccountId: () => String(random.int(1, 9)) + Array.from({ length: 11 }, () => random.int(0, 9)).join(""),
    hex,
  };
}

/** A stable v4-shaped uuid for a text: the same schedule, liveboard or instance keeps its id across runs. */
export function nameUuid(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
