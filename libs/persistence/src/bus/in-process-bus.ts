import type { RecordedEvent } from '../event-store/event-store.port';
import type { Bus, BusConsumer, BusHandler, ConsumeOptions } from './bus.port';

interface Entry {
  readonly event: RecordedEvent;
  deliveries: number;
  /** notBefore: when the entry may be handed out again (after a failure or an expired ack wait). */
  notBefore: number;
  inFlight: boolean;
}

interface Member {
  readonly handler: BusHandler;
  readonly options: Required<Omit<ConsumeOptions, 'types'>> & { types: readonly string[] | null };
  active: number;
  stopped: boolean;
  idle: Array<() => void>;
}

/** Group is one consumer group: the messages it still owes, in publish order, and its members. */
class Group {
  readonly owed = new Map<string, Entry>();
  readonly members: Member[] = [];
  next = 0;
  timer: NodeJS.Timeout | null = null;
}

const DEDUPE_WINDOW = 100_000;

/**
 * InProcessBus is the embedded adapter: in memory, for one process. It is durable only together with its
 * feed (`EventStoreFeed`): the feed re-publishes from the group's settled position after a restart, which
 * `onSettled` reports (every message at or before it was acknowledged).
 */
export class InProcessBus implements Bus {
  readonly kind = 'in-process' as const;
  private readonly seen = new Set<string>();
  private readonly groups = new Map<string, Group>();
  private readonly settledListeners: Array<(group: string, through: bigint) => void> = [];
  private maxPosition = -1n;
  private closed = false;

  async publish(event: RecordedEvent): Promise<void> {
    if (this.closed) throw new Error('bus closed');
    if (this.seen.has(event.id)) return;
    this.seen.add(event.id);
    if (this.seen.size > DEDUPE_WINDOW) this.seen.delete(this.seen.values().next().value as string);
    if (event.position > this.maxPosition) this.maxPosition = event.position;
    for (const [name, group] of this.groups) {
      group.owed.set(event.id, { event, deliveries: 0, notBefore: 0, inFlight: false });
      this.pump(name, group);
    }
  }

  async consume(name: string, handler: BusHandler, options: ConsumeOptions = {}): Promise<BusConsumer> {
    let group = this.groups.get(name);
    if (!group) {
      group = new Group();
      this.groups.set(name, group);
    }
    const member: Member = {
      handler,
      options: {
        types: options.types ?? null,
        concurrency: options.concurrency ?? 4,
        ackWaitMs: options.ackWaitMs ?? 30_000,
        retryDelayMs: options.retryDelayMs ?? 1000,
      },
      active: 0,
      stopped: false,
      idle: [],
    };
    group.members.push(member);
    const g = group;
    this.pump(name, g);
    return {
      stop: async () => {
        member.stopped = true;
        g.members.splice(g.members.indexOf(member), 1);
        while (member.active > 0) await new Promise<void>((r) => member.idle.push(r));
      },
    };
  }

  /** onSettled registers a listener told, per group, the position through which everything was acknowledged. */
  onSettled(listener: (group: string, through: bigint) => void): void {
    this.settledListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const group of this.groups.values()) {
      if (group.timer) clearTimeout(group.timer);
      await Promise.all([...group.members].map((m) => (m.stopped = true)));
    }
  }

  /** pump hands due messages to members with free capacity, round-robin, and wakes itself for later ones. */
  private pump(name: string, group: Group): void {
    if (this.closed) return;
    const now = Date.now();
    let wakeAt = Infinity;
    for (const entry of group.owed.values()) {
      if (entry.inFlight) continue;
      if (entry.notBefore > now) {
        wakeAt = Math.min(wakeAt, entry.notBefore);
        continue;
      }
      const member = this.pick(group);
      if (!member) break;
      this.deliver(name, group, member, entry);
    }
    if (group.timer) clearTimeout(group.timer);
    group.timer = null;
    if (wakeAt !== Infinity) group.timer = setTimeout(() => this.pump(name, group), Math.max(1, wakeAt - now));
  }

  private pick(group: Group): Member | null {
    for (let i = 0; i < group.members.length; i++) {
      const m = group.members[(group.next + i) % group.members.length];
      if (!m.stopped && m.active < m.options.concurrency) {
        group.next = (group.next + i + 1) % group.members.length;
        return m;
      }
    }
    return null;
  }

  private deliver(name: string, group: Group, member: Member, entry: Entry): void {
    entry.inFlight = true;
    entry.deliveries += 1;
    member.active += 1;
    const { types, retryDelayMs, ackWaitMs } = member.options;
    let deadline = Date.now() + ackWaitMs;
    // An ack wait that expires hands the message to another member, as JetStream would; the late outcome is ignored.
    let expired = false;
    const watchdog = setInterval(
      () => {
        if (Date.now() < deadline) return;
        expired = true;
        clearInterval(watchdog);
        entry.inFlight = false;
        entry.notBefore = 0;
        this.pump(name, group);
      },
      Math.min(ackWaitMs, 1000),
    );
    const run =
      types && !types.includes(entry.event.type)
        ? Promise.resolve()
        : Promise.resolve().then(() =>
            member.handler({
              event: entry.event,
              deliveryCount: entry.deliveries,
              working: () => (deadline = Date.now() + ackWaitMs),
            }),
          );
    run
      .then(
        () => {
          if (!expired) this.settle(name, group, entry.event.id);
        },
        () => {
          if (expired) return;
          entry.inFlight = false;
          entry.notBefore = Date.now() + retryDelayMs;
        },
      )
      .finally(() => {
        clearInterval(watchdog);
        member.active -= 1;
        if (member.active === 0) member.idle.splice(0).forEach((r) => r());
        this.pump(name, group);
      });
  }

  private settle(name: string, group: Group, id: string): void {
    group.owed.delete(id);
    let min: bigint | null = null;
    for (const e of group.owed.values()) if (min === null || e.event.position < min) min = e.event.position;
    const through = min === null ? this.maxPosition : min - 1n;
    for (const l of this.settledListeners) l(name, through);
  }
}
