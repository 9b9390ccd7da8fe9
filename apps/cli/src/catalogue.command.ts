import { parseArgs } from 'node:util';
import { catalogueLine, catalogueRows, formatCatalogue, type CatalogueLine } from '@mmreplay/explorer';
import { intOption, parsed } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';

export const CATALOGUE_USAGE = 'mmreplay audit --catalogue [--scenario NAME ...] [--max-states N] [--max-seconds N] [--json]';

/**
 * Every catalogue scenario under its kernel protocol and each named variant, audited exhaustively
 * with the scenario's catalogue parameters, as one table next to the verdict the kernel's history
 * implies. Exit 0 when every verdict is the expected one, 1 otherwise.
 */
export async function catalogueCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parsed(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        catalogue: { type: 'boolean' },
        scenario: { type: 'string', multiple: true },
        'max-states': { type: 'string' },
        'max-seconds': { type: 'string' },
        json: { type: 'boolean' },
      },
    }),
  );
  if (positionals.length) throw new UsageError(`usage: ${CATALOGUE_USAGE} (no scenario name: --scenario picks some)`);
  const all = catalogueRows();
  const known = [...new Set(all.map((r) => r.scenario))];
  for (const s of values.scenario ?? []) if (!known.includes(s)) throw new UsageError(`--scenario: '${s}' is not a catalogue scenario (known: ${known.join(', ')})`);
  const rows = values.scenario?.length ? all.filter((r) => values.scenario!.includes(r.scenario)) : all;
  const bounds = { maxStates: intOption(values['max-states'], 'max-states', 5_000_000, 1), maxSeconds: intOption(values['max-seconds'], 'max-seconds', 300, 1, 86_400) };
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
  return lines.every((l) => l.asExpected) ? 0 : 1;
}
