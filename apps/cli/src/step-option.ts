import { UsageError } from './io.js';

/**
 * A step argument: an integer from -1 (the state before the first step; also `initial`), or
 * `last`. Negative numbers need `--at=-1` (parseArgs reads `--at -1` as another option).
 */
export function stepOption(value: string | undefined, name: string): number | 'last' | undefined {
  if (value === undefined) return undefined;
  if (value === 'last' || value === 'end') return 'last';
  if (value === 'initial' || value === 'start') return -1;
  if (!/^-?\d+$/.test(value) || Number(value) < -1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be a step number (-1 or 'initial' for the state before the first step, 'last' for the last)`);
  }
  return Number(value);
}

/** A step argument resolved against the run's last step. */
export const resolveStep = (step: number | 'last', lastStep: number): number => (step === 'last' ? lastStep : step);
