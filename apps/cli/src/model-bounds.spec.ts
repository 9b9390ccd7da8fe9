import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { cli } from './test-cli.js';

// A `holds` the engine found only within its own bounds on weak-memory state is said to be so, in
// the text, the JSON and the exit code (docs/memory-model.md, "the engine's own bounds").

const LB3 = fileURLToPath(new URL('../../../examples/scenarios/lb-three-loads.yaml', import.meta.url));

beforeAll(() => {
  process.env.MMREPLAY_STORE = 'memory:';
});

describe("the engine's own bounds in an audit", () => {
  it('lkmm: holds within the engine bounds, the bound named, exit 125 (not a proof); sc: a plain holds, exit 0', async () => {
    const text = await cli('audit', LB3, '--memory-model', 'lkmm');
    expect(text.code).toBe(125);
    expect(text.out).toMatch(/exhaustive: holds \(within the engine's bounds\)/);
    expect(text.out).toMatch(/P0 at P0\.read_c waited at the engine's bound on outstanding loads per thread \(2\)/);
    const json = JSON.parse((await cli('audit', LB3, '--memory-model', 'lkmm', '--json')).out);
    expect(json).toMatchObject({ verdict: 'holds', modelBounds: [{ bound: 'loads', thread: 'P0', label: 'P0.read_c', kept: 2 }] });
    expect(json.summary).toMatch(/^holds within the engine's bounds: /);
    const sc = await cli('audit', LB3, '--memory-model', 'sc', '--json');
    expect(sc.code).toBe(0);
    expect(JSON.parse(sc.out).modelBounds).toBeUndefined();
  });

  it('the catalogue C11 audit that holds under lkmm met no bound, only an ordering its litmus twins checked: a plain holds that says so, exit 0', async () => {
    const r = await cli('audit', 'c11-split-order', '--memory-model', 'lkmm', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'holds', memoryModel: 'lkmm' });
    expect(JSON.parse(r.out).modelBounds).toEqual([
      { bound: 'sc-step', thread: 'zap', label: 'Z2.ptep_get', kept: 0, checkedBy: expect.stringContaining('C11+split-ptl+zap-ptl') },
      { bound: 'release', thread: 'split', label: 'S2.pte_unmap_unlock', kept: 0, checkedBy: expect.stringContaining('C11+split-ptl+zap-ptl') },
    ]);
    const text = await cli('audit', 'c11-split-order', '--memory-model', 'lkmm');
    expect(text.out).toMatch(/exhaustive: holds\n/);
    expect(text.out).toMatch(
      /the engine's orderings beyond the model's, checked for this world:\n {4}zap at Z2\.ptep_get waited on the engine's ordering: an SC step/,
    );
  });

  it("an ordering no twin checked (a store held behind a guessed branch's register): holds within the engine's bounds, exit 125", async () => {
    const doc = fileURLToPath(new URL('../../../examples/scenarios/lkmm-wrong-guess.yaml', import.meta.url));
    const text = await cli('audit', doc, '--memory-model', 'lkmm');
    expect(text.code).toBe(125);
    expect(text.out).toMatch(/exhaustive: holds \(within the engine's bounds\)/);
    expect(text.out).toMatch(/P0 at P0\.write_y waited on the engine's ordering: a store that depends on a speculated branch's way/);
  });
});
