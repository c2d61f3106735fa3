/**
 * How the Bedrock Runtime client talks HTTP/2: one session per container shared by every
 * InvokeModel, with receive windows wide enough for a whole image answer.
 *
 * The SDK gives Bedrock Runtime an isolated session per request (`disableConcurrentStreams: true`)
 * for two reasons that do not apply to InvokeModel:
 * - aws/aws-sdk-js-v3#3809: consecutive requests on a shared session never got an answer. Fixed
 *   by the session pool rewrite in @smithy/node-http-handler 4.6.0 (aws/aws-sdk-js-v3#7936); we
 *   ship a later version.
 * - Transcribe-style servers that cap concurrent streams per connection (aws/aws-sdk-js-v3#2555):
 *   that concerns event streams, and the handler still gives every event-stream operation its own
 *   session whatever this option says.
 * An isolated session costs a TCP and TLS handshake per image on AWS, and closes the window it
 * had grown. HTTP/2 starts both the stream's and the connection's receive window at 64 KiB, so a
 * 3.5 MB answer crosses ~55 WINDOW_UPDATE round trips; opening them up front lets Bedrock send the
 * whole answer at once (measured in the commit that added this).
 */
import type { ClientHttp2Session, ClientHttp2Stream } from 'node:http2';

import { EXPECTED_BODY_BYTES } from './pooled-stream-collector.js';

/**
 * Receive window per stream and per connection. Four parallel answers of ~3.5 MB fit, so a
 * multi-image request is never throttled; the memory is only used by data we read anyway.
 */
export const HTTP2_RECEIVE_WINDOW_BYTES = 16 * 1024 * 1024;

/** The `requestHandler` options of the Bedrock Runtime client. */
export function bedrockRequestHandlerOptions(requestTimeoutMs: number) {
  return {
    // A per-attempt inactivity limit (Bedrock sends nothing until the image is done); the
    // invoker adds an overall deadline across retries.
    requestTimeout: requestTimeoutMs,
    disableConcurrentStreams: false,
    nodeHttp2ConnectOptions: { settings: { initialWindowSize: HTTP2_RECEIVE_WINDOW_BYTES } },
  };
}

interface SessionFactory {
  connect: (url: string) => ClientHttp2Session;
}

/**
 * The connection-level window can only be raised on the session itself (SETTINGS covers streams
 * only), and the SDK creates sessions inside its handler's connection manager. Wraps that
 * manager's `connect` so every new session opens its window once connected. Returns false, and
 * changes nothing, if the handler no longer has that shape (the transport then works as before,
 * only slower; bedrock-transport.test.ts fails so an SDK upgrade cannot hide it).
 */
export function widenConnectionWindows(
  requestHandler: unknown,
  windowBytes = HTTP2_RECEIVE_WINDOW_BYTES,
): boolean {
  const manager = (requestHandler as { connectionManager?: Partial<SessionFactory> } | undefined)
    ?.connectionManager;
  if (typeof manager?.connect !== 'function') return false;
  const connect = manager.connect.bind(manager);
  manager.connect = (url: string) => {
    const session = connect(url);
    session.once('connect', () => {
      if (!session.destroyed) session.setLocalWindowSize(windowBytes);
    });
    announceBodySizes(session);
    return session;
  };
  return true;
}

/**
 * Tags each response stream of `session` with its Content-Length (EXPECTED_BODY_BYTES), which the
 * pooled body collector sizes its buffer by; the SDK hands the collector the stream, not the
 * headers.
 */
export function announceBodySizes(session: ClientHttp2Session): void {
  const request = session.request.bind(session);
  session.request = (...args: Parameters<ClientHttp2Session['request']>) => {
    const stream: ClientHttp2Stream = request(...args);
    stream.once('response', (headers) => {
      const length = Number(headers['content-length']);
      if (Number.isSafeInteger(length)) {
        (stream as ClientHttp2Stream & { [EXPECTED_BODY_BYTES]?: number })[EXPECTED_BODY_BYTES] =
          length;
      }
    });
    return stream;
  };
}
