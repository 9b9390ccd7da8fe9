import { describe, expect, it } from 'vitest';
import { runAuditInWorker } from './audit-worker.js';

describe('audit workers have a memory cap (issue 12)', () => {
  it('an exhaustive audit that outgrows a 96 MB worker ends inconclusive with bound memory, the process unharmed', async () => {
    const job = runAuditInWorker(
      {
        scenario: 'seed',
        params: { ptes: 5, faults: 5 },
        strategy: 'exhaustive',
        reductions: { symmetry: false, partialOrder: false, deadRegisters: false },
        bounds: { maxSeconds: 120 },
      },
      { memoryMB: 96 },
    );
    const result = await job.result;
    expect(result.verdict).toBe('inconclusive');
    expect(result.boundHit).toBe('memory');
    expect(result.statesStored).toBeGreaterThan(1_000);
  }, 120_000);
});
