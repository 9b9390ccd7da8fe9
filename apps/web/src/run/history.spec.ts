import { describe, expect, it } from 'vitest';
import { nextHistoryCursor } from './history';

describe('nextHistoryCursor', () => {
  it('follows a full page from its last step', () => {
    expect(nextHistoryCursor([{ step: 3 }, { step: 8 }, { step: 21 }], 3)).toBe(21);
  });
  it('stops after a short page or an empty one', () => {
    expect(nextHistoryCursor([{ step: 3 }, { step: 8 }], 3)).toBeUndefined();
    expect(nextHistoryCursor([], 3)).toBeUndefined();
  });
});
