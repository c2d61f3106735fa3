import { createServer } from 'node:http';

import { listenOn, localUrl } from './listen.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(
    servers
      .splice(0)
      .map(
        (server) =>
          new Promise<void>((resolve) =>
            server.listening ? server.close(() => resolve()) : resolve(),
          ),
      ),
  );
});

function newServer() {
  const server = createServer((_req, res) => res.end('hello'));
  servers.push(server);
  return server;
}

describe('localUrl', () => {
  it('puts an IPv6 host in brackets and leaves names and IPv4 addresses as they are', () => {
    expect(localUrl('::1', 4566)).toBe('http://[::1]:4566');
    expect(localUrl('127.0.0.1', 4566)).toBe('http://127.0.0.1:4566');
    expect(localUrl('localhost', 80)).toBe('http://localhost:80');
  });
});

describe('listenOn', () => {
  it('takes a free port for 0 and answers a URL that reaches the server', async () => {
    const { port, url } = await listenOn(newServer(), 0, '127.0.0.1');

    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(url)).text()).toBe('hello');
  });

  it('rejects when the port is taken', async () => {
    const { port } = await listenOn(newServer(), 0, '127.0.0.1');

    await expect(listenOn(newServer(), port, '127.0.0.1')).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});
