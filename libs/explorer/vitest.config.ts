import { mergeConfig } from 'vitest/config';
import { projectTestConfig } from '../../vitest.shared.js';

// Under mutation testing (MMREPLAY_MUTATION=1) the code runs instrumented with every mutant's
// switch and, on this shared machine, beside other jobs: the approximate searches' memo
// comparison (bitstate.reductions.spec) passed 60 s in Stryker's initial run
// at load 10 and stopped the batch. Stryker's own per-mutant timeout still applies.
export default mergeConfig(projectTestConfig('explorer'), {
  test: process.env.MMREPLAY_MUTATION === '1' ? { testTimeout: 300_000, hookTimeout: 300_000 } : {},
});
