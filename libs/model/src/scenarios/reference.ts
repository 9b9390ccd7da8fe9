import { seedScenario } from './seed.js';
import { devicePrivateScenario, execStackScenario, remapFilePagesScenario, shmemRefcountScenario, ttuSyncScenario } from './catalogue.js';
import { litmusScenarios } from './litmus.js';
import { splitOrderScenario } from './split-order.js';
import { forkScenario, mremapScenario, pmdScenario, retractScenario } from './families.js';
import type { Scenario } from './scenario.js';

/**
 * The catalogue as it was written in TypeScript before issue 13, in catalogue order. Nothing
 * resolves these: the registry loads libs/model/catalogue/*.yaml. They are what those files were
 * exported from (catalogue-files.spec.ts, MMREPLAY_EXPORT_CATALOGUE=1) and the hashes
 * catalogue-hashes.json records; new scenarios are written as documents only.
 */
export const referenceScenarios: readonly Scenario[] = [
  seedScenario,
  execStackScenario,
  remapFilePagesScenario,
  ttuSyncScenario,
  shmemRefcountScenario,
  devicePrivateScenario,
  splitOrderScenario,
  pmdScenario,
  forkScenario,
  mremapScenario,
  retractScenario,
  ...litmusScenarios,
];
