import { recordRun } from './engine-runs.js';

/** The shortest unlock-before-remove counterexample of the seed scenario (from `mmreplay audit`). */
export const SEED_COUNTEREXAMPLE = 's1.ARACAAMD.';

/** 21 steps: mig installs the migration entry of e0 (8) and unlocks P (17) before removing it; flt0 takes the PTL (18), reads the entry (19) and hits the BUG_ON (20). */
export const seedCounterexample = () => recordRun({ scenario: 'seed', variant: 'unlock-before-remove' }, 'replay', 0, 1_000, 'r1', SEED_COUNTEREXAMPLE);
