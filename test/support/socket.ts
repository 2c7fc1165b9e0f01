/** An in-process emulator served over a real loopback socket by @hono/node-server (what the CLI uses). */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Emulator, EmulatorOptions } from "../../src/index.js";
import { emulator } from "./emulator.js";

export interface SocketServer {
  emu: Emulator;
  /** Listening on 127.0.0.1 (supertest's request(server) uses it as it is). */
  server: Server;
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

const open = new Set<SocketServer>();

/** A fresh emulator (see emulator()) behind node-server on a free loopback port; close it, or closeSocketServers() in afterEach. */
export async function socketServer(options: EmulatorOptions = {}): Promise<SocketServer> {
  const emu = await emulator(options);
  const server = createAdaptorServer({ fetch: emu.app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const s: SocketServer = {
    emu,
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        open.delete(s);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  open.add(s);
  return s;
}

/** Closes every socket server these helpers started that is still open. */
export async function closeSocketServers(): Promise<void> {
  await Promise.all([...open].map((s) => s.close()));
}
