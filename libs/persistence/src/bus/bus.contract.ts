import { randomUUID } from 'node:crypto';
// NOTE: explicit jest imports because this file is not a *.spec.ts and so is type-checked with the lib sources.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Bus, BusConsumer, BusDelivery } from './bus.port';

let position = 0n;
/** busEvent makes a recorded event with a fresh id and an increasing position. */
export function busEvent(type = 'ImagePushed', data: Record<string, unknown> = {}): RecordedEvent {
  position += 1n;
  return {
    id: randomUUID(),
    streamId: 's',
    type,
    revision: 0n,
    position,
    data,
    metadata: {},
    created: '2030-01-01T00:00:00.000Z',
  };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * describeBusContract registers the behaviour every Bus adapter must have. Each case gets a fresh bus (a
 * fresh stream on NATS) and its own group names.
 */
export function describeBusContract(name: string, factory: () => Promise<Bus & { dispose?(): Promise<void> }>) {
  describe(`Bus contract: ${name}`, () => {
    let bus: Bus & { dispose?(): Promise<void> };
    const consumers: BusConsumer[] = [];
    const fast = { retryDelayMs: 20, ackWaitMs: 2000 };

    beforeEach(async () => {
      bus = await factory();
    });
    afterEach(async () => {
      await Promise.all(consumers.splice(0).map((c) => c.stop()));
      await bus.close();
      await bus.dispose?.();
    });

    const collect = async (group: string, options = {}) => {
      const got: BusDelivery[] = [];
      consumers.push(await bus.consume(group, async (d) => void got.push(d), { ...fast, ...options }));
      return got;
    };

    it('delivers each published event once to a group, dropping a re-publish of the same id', async () => {
      const got = await collect('g');
      const [a, b] = [busEvent(), busEvent()];
      await bus.publish(a);
      await bus.publish(a);
      await bus.publish(b);
      await until(() => got.length >= 2);
      await new Promise((r) => setTimeout(r, 200));
      expect(got.map((d) => d.event.id).sort()).toEqual([a.id, b.id].sort());
      expect(got[0].event).toEqual(got[0].event.id === a.id ? a : b);
    });

    it('shares a group between members (work queue) and gives every group its own copy', async () => {
      const one = await collect('workers');
      const two = await collect('workers');
      const audit = await collect('audit');
      const events = Array.from({ length: 20 }, () => busEvent());
      for (const e of events) await bus.publish(e);
      await until(() => one.length + two.length >= 20 && audit.length >= 20);
      await new Promise((r) => setTimeout(r, 200));
      const ids = [...one, ...two].map((d) => d.event.id).sort();
      expect(ids).toEqual(events.map((e) => e.id).sort());
      expect(audit).toHaveLength(20);
    });

    it('delivers again what a handler failed on, counting deliveries', async () => {
      const seen: number[] = [];
      consumers.push(
        await bus.consume(
          'flaky',
          async (d) => {
            seen.push(d.deliveryCount);
            if (d.deliveryCount < 3) throw new Error('receiver down');
          },
          fast,
        ),
      );
      await bus.publish(busEvent());
      await until(() => seen.length >= 3);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual([1, 2, 3]);
    });

    it('is durable per group: a new member resumes after what was acknowledged', async () => {
      const first = await collect('durable');
      const [a, b, c] = [busEvent(), busEvent(), busEvent()];
      await bus.publish(a);
      await bus.publish(b);
      await until(() => first.length >= 2);
      await consumers.splice(0)[0].stop();
      await bus.publish(c);
      const second = await collect('durable');
      await until(() => second.length >= 1);
      await new Promise((r) => setTimeout(r, 200));
      expect(second.map((d) => d.event.id)).toEqual([c.id]);
    });

    it('passes only the requested types to the handler', async () => {
      const got = await collect('typed', { types: ['TagDeleted'] });
      await bus.publish(busEvent('IdAllocated'));
      const wanted = busEvent('TagDeleted');
      await bus.publish(wanted);
      await until(() => got.length >= 1);
      await new Promise((r) => setTimeout(r, 200));
      expect(got.map((d) => d.event.id)).toEqual([wanted.id]);
    });
  });
}
