import { recordRun } from './engine-runs.js';

/** The shortest unlock-before-remove counterexample of the seed scenario (from `mmreplay audit`). */
export const SEED_COUNTEREXAMPLE = 's1.ARECAAMD.';

/** 22 steps: mig installs the migration entry of e0 (9) and unlocks P (18) before removing it; flt0 takes the PTL (19), reads the entry (20) and hits the BUG_ON (21). */
export const seedCounterexample = () => recordRun({ scenario: 'seed', variant: 'unlock-before-remove' }, 'replay', 0, 1_000, 'r1', SEED_COUNTEREXAMPLE);
