// Live updates of one job from GET /v1/jobs/{id}/events. EventSource cannot send an Authorization
// header, so the stream is read with fetch() and parsed here; it resumes with Last-Event-ID.
import { goToSignIn, session } from './api.js';

/** Feeds text chunks, calls `dispatch({ type, data, id })` per complete event (the SSE format). */
export function createSseParser(dispatch) {
  let buffer = '';
  let event = { type: '', data: [], id: null };
  let lastId = null;
  let retry = null;
  function line(text) {
    if (text === '') {
      if (event.data.length > 0) dispatch({ type: event.type || 'message', data: event.data.join('\n'), id: lastId });
      event = { type: '', data: [], id: null };
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event.type = value;
    else if (field === 'data') event.data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  }
  return {
    push(chunk) {
      buffer += chunk;
      // A trailing \r may be the first half of \r\n: keep it until the next chunk tells.
      const held = buffer.endsWith('\r') ? '\r' : '';
      const lines = (held ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
      buffer = (lines.pop() ?? '') + held;
      for (const l of lines) line(l);
    },
    get lastEventId() { return lastId; },
    get retry() { return retry; },
  };
}

/**
 * Follows the job's event stream until `stop()`. `onEvent(type, data)` gets parsed JSON; `onMode`
 * says 'stream', 'ended' (the server closed it, as it does
 * for a finished job; reopened a little later, since a retry can still change the job), 'reconnecting'
 * (after an error) or 'unavailable' (the endpoint answered 404/405/501: poll instead).
 */
export function followJobEvents(jobId, { onEvent, onMode }) {
  let stopped = false;
  let controller = null;
  let lastEventId = null;
  let failures = 0;
  let timer = null;

  function later(ms, mode = 'reconnecting') {
    if (stopped) return;
    onMode(mode);
    timer = setTimeout(connect, ms);
  }

  async function connect() {
    if (stopped) return;
    controller = new AbortController();
    const headers = { accept: 'text/event-stream', authorization: `Bearer ${session.key}` };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    let res;
    try {
      res = await fetch(`/v1/jobs/${jobId}/events`, { headers, signal: controller.signal, cache: 'no-store' });
    } catch {
      failures += 1;
      later(Math.min(15000, 1000 * 2 ** failures));
      return;
    }
    if ([404, 405, 501].includes(res.status)) {
      onMode('unavailable');
      return;
    }
    if (res.status === 401) {
      goToSignIn();
      return;
    }
    if (!res.ok || !res.body) {
      failures += 1;
      later(Math.min(15000, 1000 * 2 ** failures));
      return;
    }
    failures = 0;
    onMode('stream');
    const parser = createSseParser(({ type, data, id }) => {
      if (id !== null) lastEventId = id;
      let parsed = null;
      try {
        parsed = JSON.parse(data);
      } catch {
        parsed = data;
      }
      onEvent(type, parsed);
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch {
      // Aborted by stop(), or the connection dropped: both end up below.
    }
    if (parser.lastEventId !== null) lastEventId = parser.lastEventId;
    // The server ended the stream (a finished job, a restart): come back later for what follows.
    later(parser.retry ?? 3000, 'ended');
  }

  void connect();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
    },
  };
}
