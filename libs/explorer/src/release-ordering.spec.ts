import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel } from '@mmreplay/model';
import { explore } from './explorer.js';
import { auditResultOf } from './audit.js';

// docs/memory-model.md, "The kernel's locks: acquires and releases" and "The engine's own bounds"
// (`release`): the engine runs a kernel release as one SC step, so a relaxed access after it
// cannot go before it, where the LKMM's release orders only what precedes it. The weak outcomes of
// examples/scenarios/lkmm-release-lb.yaml and lkmm-release-sb.yaml need that (the LKMM allows
// them: herd7 7.56 Sometimes for their twins), so under lkmm each audit is `holds within the
// engine's bounds` with `release` at the unlock, with every reduction and with none. On the engine
// before issue 16's release session lkmm-release-lb was a plain `holds` (nothing reported: its
// unlock shows P1 nothing new), the wrong answer this guards against.

const world = (name: string, memoryModel: 'sc' | 'lkmm') => {
  const text = readFileSync(fileURLToPath(new URL(`../../../examples/scenarios/${name}.yaml`, import.meta.url)), 'utf8');
  const parsed = parseScenarioDocument(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return resolveScenarioModel(parsed.scenario, { memoryModel });
};

const release = { bound: 'release', thread: 'P0', label: 'P0.spin_unlock', kept: 0 };

describe('kernel releases under lkmm: audits', () => {
  it.each(['lkmm-release-lb', 'lkmm-release-sb'])("%s: holds within the engine's bounds under lkmm (release at the unlock), a plain holds under sc", (name) => {
    const lkmm = world(name, 'lkmm');
    for (const options of [{}, { partialOrder: false, deadRegisters: false }]) {
      const r = explore(lkmm.world, options);
      expect(r.verdict).toBe('holds');
      expect(r.modelBounds).toContainEqual(release);
      const a = auditResultOf({ scenario: name, strategy: 'exhaustive' }, lkmm, { ...r, pctBound: null, sampling: null });
      expect(a.summary).toMatch(/^holds within the engine's bounds: .*P0 at P0\.spin_unlock waited on the engine's ordering: a release .*ran as one SC step/);
    }
    const sc = explore(world(name, 'sc').world);
    expect(sc.verdict).toBe('holds');
    expect(sc.modelBounds ?? []).toEqual([]);
  });

  it('lkmm-release-lb: `release` is the only ordering met (its unlock shows P1 nothing it had not seen)', () => {
    expect(explore(world('lkmm-release-lb', 'lkmm').world).modelBounds).toEqual([release]);
  });
});
