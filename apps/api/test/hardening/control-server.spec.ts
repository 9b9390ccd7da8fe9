import { describe, expect, it } from 'vitest';
import { healthBound, startControlServer } from './control-server.js';

describe('the control server that measures scheduling noise beside the hostile-client attacks', () => {
  it('answers 200 and is gone after kill', async () => {
    const control = await startControlServer();
    const r = await fetch(`${control.url}/health/ready`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('ok');
    await control.kill();
    await expect(fetch(`${control.url}/health/ready`)).rejects.toThrow();
  });

  it('allows the budget beyond the larger of the idle and the control worst, never less than the idle bound', () => {
    expect(healthBound(250, 5, 0)).toBe(255);
    expect(healthBound(250, 5, 120)).toBe(370);
    expect(healthBound(250, 40, 12)).toBe(290);
  });
});
