/** Reads a server-sent event stream from fetch, yielding {event, data} as they arrive. */
export async function* readEvents(res: Response): AsyncGenerator<{ event: string; data: string; id?: string }> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = res.body.getReader();
  // As `for await` over the stream would: a consumer that stops early cancels the stream.
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let id: string | undefined;
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
          else if (line.startsWith('id: ')) id = line.slice(4);
        }
        if (data.length > 0) yield { event, data: data.join('\n'), id };
      }
    }
  } finally {
    await reader.cancel();
  }
}
