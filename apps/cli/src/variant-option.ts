import { readFileSync } from 'node:fs';
import { parseVariant, type Variant } from '@mmreplay/model';
import { UsageError } from './io.js';

/** `--variant NAME` names a built-in variant; `--variant file.json` reads a variant object. */
export function variantOption(value: string | undefined): string | Variant | undefined {
  if (value === undefined) return undefined;
  if (!value.endsWith('.json')) return value;
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read variant file ${value}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`variant file ${value} is not JSON: ${(e as Error).message}`);
  }
  return parseVariant(json);
}
