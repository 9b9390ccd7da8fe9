import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel } from '@mmreplay/model';
import { explore } from './explorer.js';

// docs/memory-model.md, "The kernel's locks: acquires and releases" and "Where the engine's `lkmm`
// still differs from the LKMM": a kernel release orders only what precedes it in the LKMM, and the
// engine leaves it outstanding (Machine.performRelease), so the relaxed accesses after it may go
// first. The weak outcomes of examples/scenarios/lkmm-release-lb.yaml and lkmm-release-sb.yaml need
// that (herd7 7.56: Sometimes for their twins): each audit is `violated` under lkmm, with every
// reduction and with none, and reports no `release`. On the engine before issue 16's outstanding
// scenario releases each was `holds within the engine's bounds` (release at the unlock; before
// that, lkmm-release-lb was a plain `holds`). lkmm-release-lb-lock needs folio_lock() to go before
// the PTL unlock (Sometimes): it was `holds within the engine's bounds` before issue 16's
// acquires-after-releases session (the lock waited for the unlock: `release`).
// lkmm-release-lb-ptl-lock needs a PTL's spin_lock() to go before folio_ref_unfreeze() (no unlock:
// Sometimes): it was `holds within the engine's bounds` before issue 16's PTL-lock-after-release
// session (the lock waited for the unfreeze: `release`). Its guard lkmm-release-mp-ptl-lock (Never)
// is not violated.

const world = (name: string, memoryModel: 'sc' | 'lkmm') => {
  const text = readFileSync(fileURLToPath(new URL(`../../../examples/scenarios/${name}.yaml`, import.meta.url)), 'utf8');
  const parsed = parseScenarioDocument(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return resolveScenarioModel(parsed.scenario, { memoryModel });
};

describe('kernel releases under lkmm: audits', () => {
  it.each(['lkmm-release-lb', 'lkmm-release-sb', 'lkmm-release-lb-lock', 'lkmm-release-lb-ptl-lock'])(
    '%s: violated under lkmm (the weak outcome), with no `release`; a plain holds under sc',
    (name) => {
      const lkmm = world(name, 'lkmm');
      for (const options of [{}, { partialOrder: false, deadRegisters: false }]) {
        const r = explore(lkmm.world, options);
        expect(r.verdict).toBe('violated');
        expect(r.counterexample?.invariant).toBe('weak-outcome');
        expect((r.modelBounds ?? []).map((b) => b.bound)).not.toContain('release');
      }
      const sc = explore(world(name, 'sc').world);
      expect(sc.verdict).toBe('holds');
      expect(sc.modelBounds ?? []).toEqual([]);
    },
  );

  it('lkmm-release-mp-ptl-lock (the guard): not violated under lkmm, with every reduction and with none', () => {
    const lkmm = world('lkmm-release-mp-ptl-lock', 'lkmm');
    for (const options of [{}, { partialOrder: false, deadRegisters: false }]) {
      const r = explore(lkmm.world, options);
      expect(r.verdict).toBe('holds');
      expect((r.modelBounds ?? []).map((b) => b.bound)).not.toContain('release');
    }
  });
});
