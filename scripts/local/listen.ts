/**
 * How every local stand-in starts listening: on `port` (0: a free one) at `host`, answering the
 * port it got and its base URL (an IPv6 host in brackets, as URLs need it).
 */
import type { AddressInfo, Server } from 'node:net';

export async function listenOn(
  server: Server,
  port: number,
  host: string,
): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      // Only listen's own failure rejects; a later error is the server's to report.
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return { port: actual, url: localUrl(host, actual) };
}

/** The base URL of a server at `host`:`port`; an IPv6 host goes in brackets. */
export function localUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
