/** What filling a worker's free slots needs from its engine (pipeline-engine.ts). */
export interface FreeSlotSource {
  /** Local slots neither running nor reserved now. */
  freeSlots(): number;
  /** Holds `n` slots (negative: gives them back) while the queue answers, so a reconcile meanwhile does not count them. */
  reserve(n: number): void;
  /** A cluster is set: one TaskRun more is asked for even with no free slot, since a pod takes none. */
  forPods(): boolean;
  /** The shared queue (see PipelineEngineOptions.nextQueued); without it, `backlog` is taken from. */
  nextQueued?: (max: number) => Promise<string[]>;
  backlog: string[];
  /** Claims and runs these TaskRuns (synchronously counting them running before it awaits the claim). */
  start(ids: string[]): void;
  log(line: string): void;
}

/**
 * Fills the free slots from the shared queue (or, in one process, the backlog), asking for no more TaskRuns than the
 * worker can start now: those it cannot start stay on the queue for a worker with room. Calls while one fill is in
 * flight ask for one more pass, which sees every slot freed meanwhile.
 */
export function freeSlotFiller(s: FreeSlotSource): () => Promise<void> {
  let filling = false;
  let again = false;

  async function fillOnce(): Promise<void> {
    let forPods = s.forPods();
    for (;;) {
      let n = s.freeSlots();
      if (n === 0 && forPods) n = 1;
      forPods = false;
      if (n === 0) return;
      if (!s.nextQueued) {
        const ids = s.backlog.splice(0, n);
        if (ids.length === 0) return;
        s.start(ids);
        continue;
      }
      s.reserve(n);
      let ids: string[] = [];
      try {
        ids = await s.nextQueued(n);
      } catch (err) {
        s.log(`[pipelines] taking queued TaskRuns failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        s.reserve(-n);
      }
      if (ids.length === 0) return;
      s.start(ids);
    }
  }

  return async function fill(): Promise<void> {
    if (filling) {
      again = true;
      return;
    }
    filling = true;
    try {
      do {
        again = false;
        await fillOnce();
      } while (again);
    } finally {
      filling = false;
    }
  };
}
