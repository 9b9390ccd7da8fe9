import { namedVariants, scenarios, violatedInvariantLabel, type Expectation, type InvariantClass } from '@mmreplay/model';

// `mmreplay audit --catalogue`: every catalogue scenario (the litmus tests are the memory models'
// own checks, not kernel history) under its kernel protocol and each named variant, with the
// verdict the kernel's history implies for it.

export interface CatalogueRow {
  readonly scenario: string;
  /** `kernel` for the scenario's own protocol, else a named variant */
  readonly variant: string;
  readonly params: Readonly<Record<string, number>>;
  readonly expect: Expectation | null;
}

export interface CatalogueOutcome {
  readonly verdict: 'holds' | 'violated' | 'inconclusive';
  readonly invariant: string | null;
  readonly length: number | null;
  readonly schedule: string | null;
}

export interface CatalogueLine extends CatalogueRow, CatalogueOutcome {
  readonly invariantClass: InvariantClass | null;
  /** the verdict and the invariant are those the history implies */
  readonly asExpected: boolean;
  /** the command that replays the counterexample, or the audit that shows it holds */
  readonly replay: string;
}

export function catalogueRows(): CatalogueRow[] {
  const rows: CatalogueRow[] = [];
  for (const s of scenarios()) {
    if (s.row === 'litmus') continue;
    const params = { ...(s.catalogueParams ?? {}) };
    rows.push({ scenario: s.name, variant: 'kernel', params, expect: s.expect ?? null });
    for (const v of namedVariants(s)) rows.push({ scenario: s.name, variant: v.name, params, expect: v.expect ?? null });
  }
  return rows;
}

const paramArgs = (params: Readonly<Record<string, number>>) =>
  Object.entries(params)
    .map(([k, v]) => ` --param ${k}=${v}`)
    .join('');

export function catalogueLine(row: CatalogueRow, out: CatalogueOutcome): CatalogueLine {
  const variant = row.variant === 'kernel' ? '' : ` --variant ${row.variant}`;
  const replay =
    out.verdict === 'violated' && out.schedule
      ? `mmreplay run ${row.scenario}${paramArgs(row.params)}${variant} --strategy replay --schedule ${out.schedule}`
      : `mmreplay audit ${row.scenario}${paramArgs(row.params)}${variant}`;
  const asExpected =
    row.expect !== null &&
    row.expect.verdict === out.verdict &&
    (out.verdict !== 'violated' || row.expect.invariant === undefined || row.expect.invariant === out.invariant);
  return { ...row, ...out, invariantClass: out.invariant ? violatedInvariantLabel(out.invariant).class : null, asExpected, replay };
}

/** The "kernel assertion?" cell: yes, or no and the class it is instead (a Record, so a new class cannot fall through). */
const KERNEL_ASSERTION_CELL: Record<InvariantClass, string> = { 'kernel-assertion': 'yes', protocol: 'no (protocol)', user: 'no (user)' };

/** The table as text: one line per scenario and variant. */
export function formatCatalogue(lines: readonly CatalogueLine[]): string {
  const head = ['scenario', 'variant', 'kernel commit', 'verdict', 'steps', 'invariant', 'kernel assertion?', 'history'];
  const cells = lines.map((l) => [
    l.scenario,
    l.variant,
    l.expect?.commit ?? '-',
    l.verdict,
    l.length === null ? '-' : String(l.length),
    l.invariant ?? '-',
    l.invariantClass === null ? '-' : KERNEL_ASSERTION_CELL[l.invariantClass],
    l.asExpected ? 'as expected' : `EXPECTED ${l.expect ? `${l.expect.verdict}${l.expect.invariant ? ` (${l.expect.invariant})` : ''}` : '(none recorded)'}`,
  ]);
  const clip = (s: string) => (s.length > 44 ? `${s.slice(0, 41)}...` : s);
  const rows = [head, ...cells].map((r) => r.map(clip));
  const width = head.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const text = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(width[i]))
      .join('  ')
      .trimEnd(),
  );
  text.splice(1, 0, width.map((w) => '-'.repeat(w)).join('  '));
  const replays = lines.filter((l) => l.verdict === 'violated').map((l) => `  ${l.scenario} ${l.variant}: ${l.replay}`);
  return `${text.join('\n')}\n\ncounterexamples (replay):\n${replays.join('\n')}\n`;
}
