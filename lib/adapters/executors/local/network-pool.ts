import type { Spawner } from './spawner';
import { openStepNetwork, type NetworkTools, type StepNetwork } from './step-network';
import type { StepUser } from './step-user';

/**
 * TaskRun networks made ahead of time, so that a TaskRun does not wait for its network namespace
 * and slirp4netns to start (30–80 ms on a busy 2-core machine, on every TaskRun's critical path).
 *
 * Each network is handed to exactly one TaskRun, which closes it when it ends: a network is never
 * used twice, so nothing one TaskRun did to its network (connections, slirp's state) reaches
 * another. A network that broke while it waited (its holder or slirp4netns ended, the namespace is
 * gone) is closed and skipped. The processes of a ready network do not keep the worker alive, and
 * the spawner helper kills them when the worker goes away (see spawner.ts).
 */
export class NetworkPool {
  private readonly ready: StepNetwork[] = [];
  private refilling = false;

  /** `size`: networks kept ready, enough for a fan-out's TaskRuns to start at once (each is a sleeping holder and a slirp4netns). */
  constructor(
    /** Opens a network; `background`: made ahead of time, at the lowest priority, so that steps running now go first. */
    private readonly open: (background: boolean) => Promise<StepNetwork>,
    private readonly size: number,
  ) {}

  /** A network for one TaskRun: a ready one when there is one, else a new one. */
  take(): Promise<StepNetwork> {
    let net = this.ready.shift();
    while (net?.broken()) {
      void net.close();
      net = this.ready.shift();
    }
    this.refill();
    if (!net) return this.open(false).then(claimed);
    return Promise.resolve(claimed(net));
  }

  /** Starts making networks until `size` are ready, off the current turn of the event loop. */
  refill(): void {
    if (this.refilling || this.ready.length >= this.size) return;
    this.refilling = true;
    setImmediate(() => {
      void this.fill().finally(() => (this.refilling = false));
    });
  }

  private async fill(): Promise<void> {
    let opening = 0;
    const one = async (): Promise<void> => {
      while (this.ready.length + opening < this.size) {
        opening++;
        try {
          this.ready.push(await this.open(true));
        } finally {
          opening--;
        }
      }
    };
    try {
      // Two at a time: one network's processes start while the other's wait for the kernel.
      await Promise.all([one(), one()]);
    } catch {
      // The next take opens its network itself and reports why it cannot.
    }
  }
}

function claimed(net: StepNetwork): StepNetwork {
  net.claim();
  return net;
}

/**
 * Networks made ahead of time start at the lowest priority; claim() raises slirp4netns back to the
 * steps' priority, which only root may do: elsewhere they start at the steps' priority.
 */
const BACKGROUND_NICE = process.getuid?.() === 0 ? 19 : undefined;

/** The worker's network pools, one for each set of tools, step user, size and denied ranges. */
export class NetworkPools {
  private readonly pools = new Map<string, NetworkPool>();

  /** `spawner` starts the networks' processes. */
  constructor(private readonly spawner: Spawner) {}

  /** The pool for these tools and this step user. */
  pool(tools: NetworkTools, user: StepUser | undefined, size: number, deny: readonly string[] = []): NetworkPool {
    const key = `${Object.values(tools).join(':')}|${user ? `${user.uid}:${user.gid}` : ''}|${size}|${deny.join(',')}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new NetworkPool(
        (background) => openStepNetwork(this.spawner, tools, user, background ? BACKGROUND_NICE : undefined, deny),
        size,
      );
      this.pools.set(key, pool);
    }
    return pool;
  }
}
