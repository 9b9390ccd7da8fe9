import { createParser } from 'eventsource-parser';
import { ApiError, problemOfResponse } from './problem';
import { currentToken } from './session';

export interface SseEvent<T = unknown> {
  event: string;
  id?: string;
  data: T;
}

/**
 * Follows a server-sent event stream of the API until it ends (`event: end`) or `signal` aborts.
 * EventSource cannot send the Authorization header, so the stream is read with fetch and parsed
 * by eventsource-parser.
 */
export async function followSse<T>(path: string, onEvent: (e: SseEvent<T>) => void, signal: AbortSignal): Promise<void> {
  const token = currentToken();
  const res = await fetch(path, { headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) }, signal });
  if (!res.ok || !res.body) {
    throw new ApiError(problemOfResponse(res, await res.json().catch(() => undefined)));
  }
  let ended = false;
  const parser = createParser({
    onEvent: (m) => {
      if (m.event === 'end') ended = true;
      onEvent({ event: m.event ?? 'message', id: m.id, data: JSON.parse(m.data) as T });
    },
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (!ended) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
