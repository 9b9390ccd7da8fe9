import { readFileSync } from 'node:fs';
import { parseVariant, type MemoryModelName, type Variant } from '@mmreplay/model';
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

const MEMORY_MODELS: readonly MemoryModelName[] = ['sc', 'tso', 'lkmm'];

/** `--memory-model sc|tso|lkmm` (docs/memory-model.md); absent: the scenario's `MEM` switch decides. */
export function memoryModelOption(value: string | undefined): MemoryModelName | undefined {
  if (value === undefined) return undefined;
  if (!(MEMORY_MODELS as readonly string[]).includes(value)) throw new UsageError(`--memory-model must be one of ${MEMORY_MODELS.join(', ')}`);
  return value as MemoryModelName;
}

/**
 * The variant with its `MEM` switch set: how `run` passes a memory model (a named variant keeps
 * its name; the model hash tells the two apart).
 */
export function withMemoryModel(variant: string | Variant | undefined, memoryModel: MemoryModelName | undefined): string | Variant | undefined {
  if (memoryModel === undefined) return variant;
  if (variant === undefined) return { name: 'kernel', switches: { MEM: memoryModel } };
  if (typeof variant === 'string') return { name: variant, base: variant, switches: { MEM: memoryModel } };
  return { ...variant, switches: { ...variant.switches, MEM: memoryModel } };
}

/**
 * The variant with `--switch NAME=VALUE` settings over it: a named variant becomes its base, and
 * the result is named after both (`unlock-before-remove+WAIT=pre`), so listings tell them apart.
 */
export function withSwitches(variant: string | Variant | undefined, switches: Record<string, string> | undefined): string | Variant | undefined {
  if (!switches) return variant;
  const words = Object.entries(switches)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (variant === undefined) return { name: `kernel+${words}`, switches };
  if (typeof variant === 'string') return { name: `${variant}+${words}`, base: variant, switches };
  return { ...variant, name: `${variant.name ?? 'custom'}+${words}`, switches: { ...variant.switches, ...switches } };
}
