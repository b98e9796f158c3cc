/**
 * Follows one container's log (the pod logs API with timestamps) and hands each line on as it arrives. A stream
 * that breaks is opened again and the lines already delivered are skipped, so nothing is lost or doubled while the
 * container lives. `done` settles when the container's log ends (it exited) or the follower was stopped.
 */
import type { LogLine } from '../../../domain/pipeline/task-run-plan';
import type { KubeConnection } from '../../k8s/connection';
import { openPodLog } from '../../k8s/pod-logs';
import { readPod } from './pod-watch';
import { LineSplitter } from '../shared/line-splitter';

export interface LogTarget {
  namespace: string;
  pod: string;
  /** The pod's uid: a stream is reopened only while the pod of the name is still this one. */
  uid?: string;
  container: string;
  /** The name lines are stored under: the step's name, or `sidecar-<name>`. */
  step: string;
}

const STAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d) ?/;

/** Splits the API server's `<RFC3339Nano> <text>` line; a line without a stamp keeps all its text. */
export function parseStampedLine(line: string, fallback: Date): { at: Date; text: string } {
  const m = STAMPED.exec(line);
  if (!m) return { at: fallback, text: line };
  const fraction = m[2] ? m[2].slice(0, 4) : '';
  const at = new Date(`${m[1]}${fraction}${m[3]}`);
  return { at: Number.isNaN(at.getTime()) ? fallback : at, text: line.slice(m[0].length) };
}

export class ContainerLogFollower {
  readonly done: Promise<void>;
  #delivered = 0;
  #stopped = false;
  readonly #abort = new AbortController();

  constructor(
    private readonly conn: KubeConnection,
    private readonly target: LogTarget,
    private readonly emit: (line: LogLine) => void,
    private readonly onError: (error: unknown) => void,
    private readonly retries = 5,
  ) {
    this.done = this.#follow();
  }

  /** Lines handed on so far. */
  get delivered(): number {
    return this.#delivered;
  }

  stop(): void {
    this.#stopped = true;
    this.#abort.abort();
  }

  async #follow(): Promise<void> {
    for (let attempt = 0; attempt <= this.retries && !this.#stopped; attempt++) {
      let seen = 0;
      const splitter = new LineSplitter();
      const take = (lines: string[]) => {
        for (const raw of lines) {
          seen++;
          if (seen <= this.#delivered) continue;
          this.#delivered++;
          const { at, text } = parseStampedLine(raw, new Date());
          this.emit({ step: this.target.step, stream: 'stdout', at, text });
        }
      };
      try {
        // The logs API reads by name: after a break, make sure the name still holds our pod, not a new one's.
        if (attempt > 0 && this.target.uid) {
          const pod = await readPod(this.conn, this.target.namespace, this.target.pod);
          if (pod?.metadata?.uid !== this.target.uid) return;
        }
        const body = await openPodLog(this.conn, {
          namespace: this.target.namespace,
          pod: this.target.pod,
          container: this.target.container,
          follow: true,
          previous: false,
          signal: this.#abort.signal,
        });
        for await (const chunk of body) take(splitter.push(Buffer.from(chunk)));
        take(splitter.end());
        return;
      } catch (error) {
        // A half line is not delivered: the next stream reads it again, whole.
        if (this.#stopped) return;
        if (attempt === this.retries) this.onError(error);
        else await new Promise((resolve) => setTimeout(resolve, 300 * (attempt + 1)));
      }
    }
  }
}
