/**
 * Reads a `text/event-stream` body. EventSource cannot send an Authorization header or a POST
 * body, so the UI reads streams through fetch and parses them here.
 * See https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */

export interface StreamEvent {
  event: string;
  data: string;
}

export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<StreamEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];

  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });

      // A line may arrive in pieces: keep the unfinished tail for the next read.
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? '';

      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const raw = colon === -1 ? '' : line.slice(colon + 1);
        const text = raw.startsWith(' ') ? raw.slice(1) : raw;
        if (field === 'event') event = text;
        else if (field === 'data') data.push(text);
      }
    }
    if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
  } finally {
    // Stops the download when the caller leaves early (a new question replaces the old one).
    await reader.cancel().catch(() => undefined);
  }
}
