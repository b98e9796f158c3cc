'use client';
import { useEffect, useState } from 'react';
import { followTaskRunLog, initialTaskRunLogState, type TaskRunLogState } from './taskrun-log-events';

export type { StreamedLine } from './taskrun-log-events';

/**
 * Follows a TaskRun's log over SSE. `done` turns true once the server says the log is complete; `error` holds the
 * message of the server's `event: error` (or of a reconnect the browser gave up on), after which it stops.
 */
export function useLogStream(taskRunName: string | undefined): TaskRunLogState {
  const [state, setState] = useState<TaskRunLogState>(initialTaskRunLogState);
  useEffect(() => {
    setState(initialTaskRunLogState());
    if (!taskRunName) return;
    const source = new EventSource(`/api/v1/taskruns/${encodeURIComponent(taskRunName)}/logs/stream`);
    followTaskRunLog(source, setState);
    return () => source.close();
  }, [taskRunName]);
  return state;
}
