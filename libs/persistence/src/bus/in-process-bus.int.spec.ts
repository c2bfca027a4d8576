import { describeBusContract, busEvent } from './bus.contract';
import { InProcessBus } from './in-process-bus';

describeBusContract('in-process', async () => new InProcessBus());

describe('InProcessBus settled position (what the event-store feed checkpoints)', () => {
  it('reports the position through which every message was acknowledged, never past an owed one', async () => {
    const bus = new InProcessBus();
    const settled: bigint[] = [];
    bus.onSettled((_g, through) => settled.push(through));
    const release: Array<() => void> = [];
    const consumer = await bus.consume('g', (d) =>
      d.event.data['slow'] ? new Promise<void>((r) => release.push(r)) : Promise.resolve(),
    );
    const slow = busEvent('E', { slow: true });
    const fast = busEvent('E');
    await bus.publish(slow);
    await bus.publish(fast);
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toEqual([slow.position - 1n]);
    release[0]();
    await new Promise((r) => setTimeout(r, 50));
    expect(settled[settled.length - 1]).toBe(fast.position);
    await consumer.stop();
    await bus.close();
  });
});
