import { runConcurrently, timeSequentially } from './load.js';

/** Resolves after the current macrotask, so concurrent callers really overlap. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('timeSequentially', () => {
  it('runs one request at a time and keeps results in order', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const run = await timeSequentially(5, async (index) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await tick();
      inFlight--;
      return `request ${index}`;
    });
    expect(mostInFlight).toBe(1);
    expect(run.results).toEqual(['request 0', 'request 1', 'request 2', 'request 3', 'request 4']);
    expect(run.durationsMs).toHaveLength(5);
    expect(run.durationsMs.every((duration) => duration >= 0)).toBe(true);
  });

  it('runs afterEach after every request, before the next one starts', async () => {
    const order: string[] = [];
    await timeSequentially(
      3,
      async (index) => {
        order.push(`request ${index}`);
        await tick();
      },
      async (index) => {
        order.push(`after ${index}`);
        await tick();
      },
    );
    expect(order).toEqual(['request 0', 'after 0', 'request 1', 'after 1', 'request 2', 'after 2']);
  });

  it('stops at the first failure', async () => {
    const sent: number[] = [];
    await expect(
      timeSequentially(5, async (index) => {
        sent.push(index);
        await tick();
        if (index === 1) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(sent).toEqual([0, 1]);
  });
});

describe('runConcurrently', () => {
  it('sends exactly the requested number with at most `clients` in flight', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const indexes: number[] = [];
    const run = await runConcurrently({
      clients: 4,
      requests: 10,
      request: async (index) => {
        indexes.push(index);
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await tick();
        inFlight--;
      },
    });
    expect(mostInFlight).toBe(4);
    expect([...indexes].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(run.failures).toBe(0);
    expect(run.latencyMs?.count).toBe(10);
    expect(run.requestsPerSecond).toBeGreaterThan(0);
  });

  it('counts failures, keeps the first message and leaves them out of the latency', async () => {
    const run = await runConcurrently({
      clients: 2,
      requests: 6,
      request: async (index) => {
        await tick();
        if (index % 3 === 0) throw new Error(`failed ${index}`);
      },
    });
    expect(run.failures).toBe(2);
    expect(run.firstError).toMatch(/^failed [03]$/);
    expect(run.latencyMs?.count).toBe(4);
  });

  it('starts no more clients than there are requests', async () => {
    let mostInFlight = 0;
    let inFlight = 0;
    await runConcurrently({
      clients: 32,
      requests: 3,
      request: async () => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await tick();
        inFlight--;
      },
    });
    expect(mostInFlight).toBe(3);
  });
});
