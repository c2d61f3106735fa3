// One Lambda execution environment: runs inside a worker_threads Worker started by runtime.ts.
// Plain .mjs (not TypeScript) so the Worker can load it directly under tsx, jest and plain node.
//
// Protocol (all payloads are JSON text, so handlers see exactly what Lambda would deliver):
//   parent -> worker  { type: 'invoke', eventJson, context }
//   worker -> parent  { type: 'ready', initDurationMs } | { type: 'init-error', error }
//                     { type: 'result', payloadJson } | { type: 'error', error }
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { bundlePath, handlerName } = workerData;
let currentRequestId = '';

/**
 * The error document Lambda's Node.js runtime reports (aws-lambda-nodejs-runtime-interface-client,
 * Errors.js toRapidResponse): name/message/stack of an Error, or typeof/toString of anything else.
 */
function toLambdaError(error) {
  if (error instanceof Error || (error && typeof error.stack === 'string' && error.message)) {
    return {
      errorType: String(error.name),
      errorMessage: String(error.message),
      trace: String(error.stack).split('\n'),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

// Lambda's text log format: timestamp, request id, level, message (one record per call).
for (const [method, level] of [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
]) {
  const stream = level === 'ERROR' || level === 'WARN' ? process.stderr : process.stdout;
  console[method] = (...args) => {
    stream.write(
      `${new Date().toISOString()}\t${currentRequestId || 'undefined'}\t${level}\t${format(...args)}\n`,
    );
  };
}

process.on('unhandledRejection', (reason) => {
  parentPort.postMessage({
    type: 'error',
    fatal: true,
    error: {
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason),
      trace: reason instanceof Error ? String(reason.stack).split('\n') : [],
    },
  });
  process.exit(128);
});

async function loadHandler() {
  let module;
  try {
    module = await import(pathToFileURL(bundlePath).href);
  } catch (error) {
    if (error && (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND')) {
      throw Object.assign(new Error(`Error: ${error.message}`), {
        name: 'Runtime.ImportModuleError',
      });
    }
    if (error instanceof SyntaxError) {
      throw Object.assign(new Error(`${error.name}: ${error.message}`), {
        name: 'Runtime.UserCodeSyntaxError',
      });
    }
    throw error;
  }
  const handler = module[handlerName];
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`index.${handlerName} is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return handler;
}

function buildContext(meta, settle) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: meta.functionName,
    functionVersion: meta.functionVersion,
    invokedFunctionArn: meta.invokedFunctionArn,
    // A string in the Node.js runtime, not a number.
    memoryLimitInMB: String(meta.memoryLimitInMB),
    awsRequestId: meta.awsRequestId,
    logGroupName: meta.logGroupName,
    logStreamName: meta.logStreamName,
    identity: meta.identity,
    clientContext: meta.clientContext,
    getRemainingTimeInMillis: () => Math.max(0, meta.deadlineMs - Date.now()),
    done: (error, result) => (error ? settle.fail(error) : settle.succeed(result)),
    succeed: (result) => settle.succeed(result),
    fail: (error) => settle.fail(error),
  };
}

function runHandler(handler, event, meta) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = {
      succeed: (value) => {
        if (!settled) ((settled = true), resolve(value));
      },
      fail: (error) => {
        if (!settled) ((settled = true), reject(error));
      },
    };
    const callback = (error, result) =>
      error !== null && error !== undefined ? settle.fail(error) : settle.succeed(result);
    try {
      const returned = handler(event, buildContext(meta, settle), callback);
      if (returned && typeof returned.then === 'function') {
        returned.then(settle.succeed, settle.fail);
      } else if (handler.length < 3) {
        // A non-async handler without a callback parameter: its return value is the result.
        settle.succeed(returned);
      }
    } catch (error) {
      settle.fail(error);
    }
  });
}

const initStarted = performance.now();
let handler;
try {
  handler = await loadHandler();
  parentPort.postMessage({ type: 'ready', initDurationMs: performance.now() - initStarted });
} catch (error) {
  parentPort.postMessage({ type: 'init-error', error: toLambdaError(error) });
}

parentPort.on('message', async (message) => {
  if (message.type !== 'invoke' || !handler) return;
  currentRequestId = message.context.awsRequestId;
  try {
    const result = await runHandler(handler, JSON.parse(message.eventJson), message.context);
    let payloadJson;
    try {
      payloadJson = JSON.stringify(result) ?? 'null';
    } catch {
      parentPort.postMessage({
        type: 'error',
        error: {
          errorType: 'Runtime.MarshalError',
          errorMessage: 'Unable to stringify response body',
        },
      });
      return;
    }
    parentPort.postMessage({ type: 'result', payloadJson });
  } catch (error) {
    parentPort.postMessage({ type: 'error', error: toLambdaError(error) });
  } finally {
    currentRequestId = '';
  }
});
