/** One Server-Sent Event as parsed from the wire (comments dropped). */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Reads an SSE response body event by event, per the HTML spec's line rules (enough for tests:
 * `event`, `data` (multi-line), `id`; comment lines ignored). `next` resolves undefined at the end.
 */
export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let comments = 0;
  async function next(): Promise<SseEvent | undefined> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const ev: SseEvent = { id: undefined, event: 'message', data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) { comments += 1; continue; }
          const i = line.indexOf(':');
          const field = i < 0 ? line : line.slice(0, i);
          const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
          if (field === 'event') ev.event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id') ev.id = value;
        }
        if (data.length === 0 && ev.id === undefined) continue;
        ev.data = data.join('\n');
        return ev;
      }
      const { done, value } = await reader.read();
      if (done) return undefined;
      buffer += decoder.decode(value, { stream: true });
    }
  }
  return { next, cancel: () => reader.cancel(), comments: () => comments };
}
