/** One Server-Sent Events message as the wire carries it (the fields a GraphQL stream uses). */
interface SseMessage {
  id?: string;
  event?: string;
  data?: any;
}

export interface SseStream {
  status: number;
  messages: SseMessage[];
  /** The `next` messages' payloads, in order. */
  results: () => any[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Drops the connection, as a network failure would. */
  abort: () => void;
}

/**
 * A raw SSE reader over fetch, so a test sees each message's `id:` as an EventSource would and can
 * reconnect with `Last-Event-ID` (what an EventSource sends by itself after a dropped connection).
 * GET with the operation in the query string: graphql-sse's distinct connections mode, as an EventSource uses it.
 */
export async function openSse(
  url: string,
  operation: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<SseStream> {
  const search = new URLSearchParams({ query: operation.query });
  if (operation.variables) search.set('variables', JSON.stringify(operation.variables));
  const controller = new AbortController();
  const response = await fetch(`${url}?${search}`, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue; // a comment: graphql-sse's keep-alive
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') message.id = value;
            else if (field === 'event') message.event = value;
            else if (field === 'data') message.data = value === '' ? null : JSON.parse(value);
          }
          if (message.event) messages.push(message);
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  })();
  return {
    status: response.status,
    messages,
    results: () => messages.filter((message) => message.event === 'next').map((message) => message.data),
    ended,
    abort: () => controller.abort(),
  };
}
