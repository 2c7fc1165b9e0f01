/** Everything tests share, one copy each. */

export * from "./browser.js";
export * from "./cli.js";
export * from "./clock.js";
export * from "./disk.js";
export * from "./emulator.js";
export * from "./envelope.js";
export * from "./fixtures.js";
export * from "./http.js";
export * from "./payload-shapes.js";
export * from "./prng.js";
export * from "./receiver.js";
export * from "./socket.js";
export * from "./stats.js";
export * from "./tmp.js";
export * from "./webhooks.js";
