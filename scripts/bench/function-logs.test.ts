import { captureFunctionLogs, parseRequestDone } from './function-logs.js';

/** A `request done` line as Powertools Logger writes it (shared/log.ts recordRequest). */
function requestDoneLine(fields: Record<string, unknown>): string {
  return JSON.stringify({
    level: 'INFO',
    message: 'request done',
    service: 'imagegen',
    route: 'POST /generate',
    outcome: 'OK',
    status: 200,
    ...fields,
  });
}

describe('parseRequestDone', () => {
  it('reads the request id, route and timings', () => {
    const line = requestDoneLine({ requestId: 'r-1', totalMs: 120, modelMs: 80 });
    expect(parseRequestDone(line)).toEqual({
      requestId: 'r-1',
      route: 'POST /generate',
      totalMs: 120,
      modelMs: 80,
    });
  });

  it('leaves modelMs out when the request made no model call (a cache hit)', () => {
    expect(parseRequestDone(requestDoneLine({ requestId: 'r-2', totalMs: 9 }))).toEqual({
      requestId: 'r-2',
      route: 'POST /generate',
      totalMs: 9,
    });
  });

  it('ignores metric blobs, other messages and text that is not JSON', () => {
    expect(parseRequestDone('{"_aws":{"Timestamp":1},"Requests":1}')).toBeUndefined();
    expect(
      parseRequestDone(requestDoneLine({ message: 'request failed', requestId: 'r', totalMs: 1 })),
    ).toBeUndefined();
    expect(parseRequestDone('2026-01-01T00:00:00Z\tid\tINFO\t"request done" soon')).toBeUndefined();
    expect(parseRequestDone(requestDoneLine({ requestId: 'r', totalMs: '12' }))).toBeUndefined();
  });
});

describe('captureFunctionLogs', () => {
  it('keeps request summaries split across writes and hides all output until restored', () => {
    const realWrite = process.stdout.write;
    const capture = captureFunctionLogs();
    let stillMuted: boolean;
    try {
      const line = requestDoneLine({ requestId: 'r-3', totalMs: 50, modelMs: 30 });
      process.stdout.write(line.slice(0, 20));
      process.stdout.write(`${line.slice(20)}\n{"_aws":{}}\n`);
      stillMuted = process.stdout.write !== realWrite;
    } finally {
      capture.restore();
    }
    expect(stillMuted).toBe(true);
    expect(process.stdout.write).toBe(realWrite);
    expect(capture.find('r-3')).toEqual({
      requestId: 'r-3',
      route: 'POST /generate',
      totalMs: 50,
      modelMs: 30,
    });
    expect(capture.droppedLines()).toBe(2);
  });
});
