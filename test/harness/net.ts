import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A free TCP port on 127.0.0.1, for starting a real service process in a test or benchmark. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
