'use client';
import { useEffect, useState } from 'react';

export interface StreamedLine {
  id: number;
  step: string;
  at: string;
  stream: string;
  text: string;
}

/** Follows a TaskRun's log over SSE; `done` turns true once the server says the log is complete. */
export function useLogStream(taskRunName: string | undefined) {
  const [lines, setLines] = useState<StreamedLine[]>([]);
  const [done, setDone] = useState(false);
  useEffect(() => {
    setLines([]);
    setDone(false);
    if (!taskRunName) return;
    const source = new EventSource(`/api/v1/taskruns/${encodeURIComponent(taskRunName)}/logs/stream`);
    source.addEventListener('chunk', (event) => {
      const chunk = JSON.parse((event as MessageEvent<string>).data) as {
        id: number;
        step: string;
        lines: { at: string; stream: string; text: string }[];
      };
      setLines((prev) => [...prev, ...chunk.lines.map((l) => ({ id: chunk.id, step: chunk.step, ...l }))]);
    });
    source.addEventListener('end', () => {
      setDone(true);
      source.close();
    });
    return () => source.close();
  }, [taskRunName]);
  return { lines, done };
}
