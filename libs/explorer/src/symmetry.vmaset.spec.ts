import { describe, expect, it } from 'vitest';
import { resolveModel, ThreadField } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';

// A VMA set may hold bits that name no VMA: pinnedObjects lets a program write them (`mov seen, 4`
// in a world of two VMAs keeps the group, symmetry.pins.spec), and a comparison can read them back.
// Renaming the set moves the group's VMA bits and must keep the others; the mutation run over
// symmetry.ts lines 418-745 (issue 20) found them dropped.

describe('symmetry renames the VMAs of a set and keeps its other bits', () => {
  it('c10 with `mov seen, 4` (bit 2: no VMA): the swap moves vma0 to vma1 and keeps bit 2', () => {
    const world = resolveModel({
      scenario: 'c10-device-private',
      variant: {
        name: 'bit2',
        patches: [{ op: 'insert', path: 'do_swap_page_device', before: 'D1.pte_offset_map_lock', steps: [{ label: 'bit0', op: 'mov', args: ['seen', 4] }] }],
      },
    }).world;
    const m = new Machine(world);
    const sym = new Symmetry(m);
    expect(sym.active).toBe(true);
    const L = m.layout;
    const seen = L.thread(0, ThreadField.regs + m.paths[0].def.regs.findIndex((r) => r.name === 'seen'));
    const seen1 = seen + L.thread(1, 0) - L.thread(0, 0);
    for (const [set, image] of [
      [4, 4],
      [4 | 1, 4 | 2],
      [2, 1],
    ]) {
      const s = m.initialState();
      s[seen] = set;
      const p = sym.permuted(s, 0, [1, 0]);
      expect(p[seen1], `f0's set ${set} as f1's`).toBe(image);
    }
  });
});
