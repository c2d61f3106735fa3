/**
 * The functions' log lines while the bench runs. Lambda workers pipe their stdout into this
 * process's stdout; the bench replaces stdout's write with a sink that keeps the one
 * `request done` line per request (shared/log.ts recordRequest: totalMs and modelMs as the
 * function measured them) and drops everything else, so the table stays readable.
 */

export interface RequestLog {
  /** API Gateway's request id, also the response's x-amzn-requestid header. */
  requestId: string;
  route: string;
  /** The handler's own time for the request. */
  totalMs: number;
  /** The handler's time in the Bedrock call (SDK, HTTP/2, response parsing included). */
  modelMs?: number;
}

/** The request summary in one Powertools JSON log line, or undefined for any other line. */
export function parseRequestDone(line: string): RequestLog | undefined {
  if (!line.includes('"request done"')) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null) return undefined;
  const fields = record as Record<string, unknown>;
  const { message, requestId, route, totalMs, modelMs } = fields;
  if (message !== 'request done' || typeof requestId !== 'string' || typeof totalMs !== 'number') {
    return undefined;
  }
  return {
    requestId,
    route: typeof route === 'string' ? route : '',
    totalMs,
    ...(typeof modelMs === 'number' ? { modelMs } : {}),
  };
}

export interface FunctionLogCapture {
  /** The summary logged for `requestId`, if it has arrived. */
  find(requestId: string): RequestLog | undefined;
  droppedLines(): number;
  /** Puts the real stdout back. */
  restore(): void;
}

/** Replaces process.stdout.write until restore(); the bench reports on stderr meanwhile. */
export function captureFunctionLogs(): FunctionLogCapture {
  const stdout = process.stdout;
  // Normally `write` is inherited from Writable.prototype; put back exactly what was there.
  const ownWrite = Object.getOwnPropertyDescriptor(stdout, 'write');
  const byRequestId = new Map<string, RequestLog>();
  let pending = '';
  let dropped = 0;

  stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      dropped++;
      const summary = parseRequestDone(line);
      if (summary) byRequestId.set(summary.requestId, summary);
    }
    // Writable.write(chunk, [encoding], [callback]): call the callback as a real write would.
    const callback = rest.find((argument) => typeof argument === 'function') as
      (() => void) | undefined;
    if (callback) queueMicrotask(callback);
    return true;
  };

  return {
    find: (requestId) => byRequestId.get(requestId),
    droppedLines: () => dropped,
    restore: () => {
      if (ownWrite) Object.defineProperty(stdout, 'write', ownWrite);
      else Reflect.deleteProperty(stdout, 'write');
    },
  };
}
