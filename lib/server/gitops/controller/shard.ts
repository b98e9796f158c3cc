/**
 * Controller sharding: which applications this controller works on. Every controller holds a membership lease
 * (ControllerMemberStore), renewed every third of the lease; the live members, the same list for all, decide each
 * app's owner by rendezvous hashing (shardRing). A member that stops renewing (it died) drops out of the others'
 * lists within the lease time and its apps move to them; a graceful stop deletes the row, and they move at the
 * others' next heartbeat. While lists differ for a moment two controllers may both think they own an app: a refresh
 * therefore runs only under the app's refresh lease (`exclusive`), and a sync under the operation's lease.
 */
import { randomUUID } from 'node:crypto';
import { shardRing, type ShardRing } from '@/lib/domain/gitops/shard-ring';
import { dbErrorSummary } from '@/lib/domain/error-message';
import type { ControllerMember, ControllerMemberStore } from '../ports';

export interface ControllerShard {
  /** This controller's member id (also the owner of the operation leases it takes). */
  readonly id: string;
  /** Whether this controller works on the app now. */
  owns(appName: string): boolean;
  /** Called with the live members whenever they change (first after the first heartbeat). */
  onChange(listener: (members: readonly string[]) => void): void;
  /** Runs `work` under the app's refresh lease; false (nothing run) while another controller holds it. */
  exclusive(appName: string, work: () => Promise<void>): Promise<boolean>;
  /** The live members as last seen. */
  members(): readonly string[];
  /** Stops renewing; `leave` (default) deletes the membership at once, false leaves it to run out (tests: a death). */
  stop(opts?: { leave?: boolean }): Promise<void>;
}

/** One controller alone: it owns every app and needs no lease (tests, tools). */
export function wholeShard(id = `controller-${randomUUID().slice(0, 8)}`): ControllerShard {
  return {
    id,
    owns: () => true,
    onChange: () => undefined,
    async exclusive(_name, work) {
      await work();
      return true;
    },
    members: () => [id],
    stop: async () => undefined,
  };
}

export interface MembershipOptions {
  store: ControllerMemberStore;
  host: string;
  pid: number;
  leaseSeconds: number;
  log: (line: string) => void;
  /** Local clock for "my own lease ran out" (ms). */
  clock?: () => number;
}

/** Joins the controllers' membership and keeps renewing it until stopped. */
export function joinMembership(o: MembershipOptions): ControllerShard {
  const me: ControllerMember = { id: `controller-${randomUUID().slice(0, 8)}`, host: o.host, pid: o.pid };
  const clock = o.clock ?? Date.now;
  const leaseMs = o.leaseSeconds * 1000;
  const listeners: ((members: readonly string[]) => void)[] = [];
  let ring: ShardRing = shardRing([]);
  /** Local time the last renewal was sent; our lease surely lasts until this + leaseMs. */
  let renewedAt = -Infinity;
  let failing = false;
  let stopped = false;
  let beating: Promise<void> = Promise.resolve();

  const beat = async () => {
    const sentAt = clock();
    try {
      const live = await o.store.heartbeat(me, o.leaseSeconds);
      if (stopped) return;
      renewedAt = sentAt;
      if (failing) o.log(`[gitops] membership ${me.id} renewed again`);
      failing = false;
      if (live.join(',') === ring.members.join(',')) return;
      ring = shardRing(live);
      o.log(
        `[gitops] controllers: ${live.length} live (${live.join(', ')}); this one is ${me.id} on ${me.host} pid ${me.pid}`,
      );
      for (const l of listeners) l(ring.members);
    } catch (err) {
      if (!failing) o.log(`[gitops] membership ${me.id} not renewed: ${dbErrorSummary(err)}; retrying`);
      failing = true;
    }
  };
  beating = beat();
  const timer = setInterval(
    () => {
      beating = beating.then(beat);
    },
    Math.max(250, Math.floor(leaseMs / 3)),
  );

  const alive = () => !stopped && clock() - renewedAt < leaseMs;
  return {
    id: me.id,
    owns: (name) => alive() && ring.ownerOf(name) === me.id,
    onChange: (listener) => void listeners.push(listener),
    async exclusive(name, work) {
      if (!(await o.store.claimRefresh(name, me.id))) return false;
      try {
        await work();
      } finally {
        await o.store.releaseRefresh(name, me.id).catch(() => undefined);
      }
      return true;
    },
    members: () => ring.members,
    async stop(opts = {}) {
      stopped = true;
      clearInterval(timer);
      await beating;
      if (opts.leave ?? true) await o.store.leave(me.id).catch(() => undefined);
    },
  };
}
