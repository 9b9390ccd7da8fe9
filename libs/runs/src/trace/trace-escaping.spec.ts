import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { RunService } from '../run.service.js';
import { QueryService } from '../query.service.js';
import { printable, renderTraceText } from './trace.js';

describe('text traces escape user text (issue 12)', () => {
  it('an ANSI escape or a newline in a variant step label is shown as \\xNN, never written raw', async () => {
    const label = 'U5.\u001b[31mred\nstep 999 forged\r\u009b';
    const variant = {
      name: 'labels',
      patches: [{ op: 'replace', path: 'migrate_pages', step: 'U5.trylock_newpage', steps: [{ label, op: 'trylock_page', args: ['dst', 'ok'] }] }],
    };
    const store = new InMemoryEventStore();
    await new RunService(store).startRun({ runId: 'esc', scenario: 'seed', variant: variant as never, strategy: 'round-robin' });
    const queries = new QueryService(store);
    const text = renderTraceText(await queries.trace('esc', { from: 0 }));
    expect(text).toContain('U5.\\x1b[31mred\\x0astep 999 forged\\x0d\\x9b');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    // no forged line: every line but the two header lines and the rule starts with a step number or blanks
    expect(text.split('\n').some((l) => l.startsWith('step 999'))).toBe(false);
  });

  it('printable leaves ordinary text alone', () => {
    expect(printable('U2.lock_page: folio_lock(P) -> ok')).toBe('U2.lock_page: folio_lock(P) -> ok');
  });
});
