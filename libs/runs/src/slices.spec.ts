import { describe, expect, it } from 'vitest';
import { Slices } from './slices.js';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('Slices', () => {
  it('pauses only once a slice is used up', async () => {
    const slices = new Slices(1_000);
    expect(slices.due).toBe(false);
    let ticked = false;
    setImmediate(() => (ticked = true));
    await slices.pause();
    expect(ticked).toBe(false);
  });

  it('three loops working at once: the event loop polls between any two slices, not after all three', async () => {
    const log: string[] = [];
    let ticking = true;
    const tick = () => {
      log.push('tick');
      if (ticking) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    const loop = async (name: string) => {
      const slices = new Slices(5);
      for (let slice = 0; slice < 4; slice++) {
        busy(6);
        log.push(name);
        await slices.pause();
      }
    };
    await Promise.all(['a', 'b', 'c'].map(loop));
    ticking = false;
    const slicesOnly = log.filter((e) => e !== 'tick');
    expect(slicesOnly).toHaveLength(12);
    // a timer callback (the timers phase of a turn) between every two slices, after the first turn
    const firstTick = log.indexOf('tick');
    const afterFirst = log.slice(firstTick).join(' ');
    expect(afterFirst).not.toMatch(/[abc] [abc]/);
  });
});
