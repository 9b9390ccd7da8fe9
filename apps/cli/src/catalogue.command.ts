import { catalogueLine, catalogueRows, formatCatalogue, type CatalogueLine } from '@mmreplay/explorer';
import { intOption, opt } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';
import { EXIT } from './exit-codes.js';

export const CATALOGUE_USAGE = 'mmreplay audit --catalogue [--scenario NAME ...] [--max-states N] [--max-seconds N] [--json]';

/** The options `audit --catalogue` honours (AUDIT_SPEC declares them); any other is refused. */
const CATALOGUE_OPTIONS = new Set(['catalogue', 'scenario', 'max-states', 'max-seconds', 'json', 'quiet']);

/**
 * `mmreplay audit --catalogue`: every catalogue scenario under its kernel protocol and each named
 * variant, audited exhaustively with the scenario's catalogue parameters, as one table next to the
 * verdict the kernel's history implies. Exit 0 (EXIT.ok) when every verdict is the expected one,
 * 1 (EXIT.violated) otherwise. `values` are audit's, parsed against AUDIT_SPEC.
 */
export async function catalogueCommand(
  values: Record<string, string | boolean | string[] | undefined>,
  positionals: string[],
  io: Io,
  withBackend: BackendProvider,
): Promise<number> {
  if (positionals.length) throw new UsageError(`usage: ${CATALOGUE_USAGE} (no scenario name: --scenario picks some)`);
  const other = Object.keys(values).filter((k) => values[k] !== undefined && !CATALOGUE_OPTIONS.has(k));
  if (other.length)
    throw new UsageError(
      `--catalogue audits each row as the catalogue defines it: ${other.map((k) => `--${k}`).join(', ')} does not apply (usage: ${CATALOGUE_USAGE})`,
    );
  const all = catalogueRows();
  const known = [...new Set(all.map((r) => r.scenario))];
  const picked = opt.list(values.scenario) ?? [];
  for (const s of picked) if (!known.includes(s)) throw new UsageError(`--scenario: '${s}' is not a catalogue scenario (known: ${known.join(', ')})`);
  const rows = picked.length ? all.filter((r) => picked.includes(r.scenario)) : all;
  const bounds = {
    maxStates: intOption(opt.string(values['max-states']), 'max-states', 5_000_000, 1),
    maxSeconds: intOption(opt.string(values['max-seconds']), 'max-seconds', 300, 1, 86_400),
  };
  const lines: CatalogueLine[] = await withBackend(async (backend) => {
    const out: CatalogueLine[] = [];
    for (const row of rows) {
      const variant = row.variant === 'kernel' ? undefined : row.variant;
      const r = await backend.audit({ scenario: row.scenario, params: row.params, variant, strategy: 'exhaustive', bounds });
      const c = r.counterexample;
      out.push(catalogueLine(row, { verdict: r.verdict, invariant: c?.invariant ?? null, length: c?.length ?? null, schedule: c?.schedule ?? null }));
    }
    return out;
  });
  io.out(values.json ? `${JSON.stringify(lines, null, 2)}\n` : formatCatalogue(lines));
  return lines.every((l) => l.asExpected) ? EXIT.ok : EXIT.violated;
}
