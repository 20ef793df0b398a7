import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';

/** Request line plus headers. Every documented query parameter at its longest fits well inside. */
export const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Requests Node rejects before Hono sees them (headers over MAX_HEADER_BYTES, malformed HTTP) get the
 * uniform error body too, instead of Node's bare status line.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const [status, reason, code, message] = tooLarge
    ? [431, 'Request Header Fields Too Large', 'headers_too_large', `request line and headers exceed ${MAX_HEADER_BYTES} bytes`]
    : [400, 'Bad Request', 'malformed_request', 'malformed HTTP request'];
  const requestId = randomUUID();
  const body = JSON.stringify({ error: { code, message, requestId } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
  );
}
