import type { StepRecorded } from '@mmreplay/events';
import { formatField, type RunModel } from '@mmreplay/projections';
import { OPS, PageFlag, WaitFlag, isOpName, type TraceCondition, type TracePhrase } from '@mmreplay/model';

// One step as the line a kernel developer writes in an interleaving diagram: what the action did
// to the objects that matter (`P locked`, `e0 = migration(P,write)`, `ptl unlocked`). The phrase
// of each op is its declaration's (libs/model/src/isa.ts, `trace`); this file only fills in the
// template's placeholders from the recorded step.

const DEFAULT_PHRASE = '{op}({args})';

/** The i-th register operand of the step, after it ran. */
const arg = (e: StepRecorded, i: number): string => {
  const v = Object.values(e.args)[i];
  return v === undefined ? '?' : String(v);
};

const delta = (e: StepRecorded, object: string, field: string) => e.deltas.find((d) => d.object === object && d.field === field);

const MIGRATION = /^migration\((\w+)/;

function holds(model: RunModel, e: StepRecorded, c: TraceCondition): boolean {
  if ('kind' in c) return e.kind === c.kind;
  if ('label' in c) return e.label.includes(c.label);
  if ('registersWritten' in c) return e.deltas.some((d) => d.field.startsWith('reg.'));
  return MIGRATION.test(arg(e, c.migrationEntry));
}

function pick(model: RunModel, e: StepRecorded, phrase: TracePhrase): string {
  if (typeof phrase === 'string') return phrase;
  return phrase.cases.find(([c]) => holds(model, e, c))?.[1] ?? phrase.otherwise;
}

/** The value of one placeholder: `name` or `name:i`, or `i`, or `i?yes|no`. */
function fill(model: RunModel, e: StepRecorded, key: string): string {
  const choice = /^(\d+)\?([^|]*)\|(.*)$/.exec(key);
  if (choice) return arg(e, Number(choice[1])) === '1' ? choice[2] : choice[3];
  if (/^\d+$/.test(key)) return arg(e, Number(key));
  const [name, index] = key.split(':');
  const page = index === undefined ? '' : arg(e, Number(index));
  switch (name) {
    case 'op':
      return e.op;
    case 'args':
      return Object.values(e.args).join(', ');
    case 'ptl':
      // the PTL of the PTE named by the first register operand
      return model.world.ptes.find((p) => p.name === arg(e, 0))?.ptl ?? 'ptl';
    case 'pte': {
      const d = e.deltas.find((x) => x.object.startsWith('pte:') && x.field === 'entry');
      return d ? String(formatField(model, d.object, d.field, d.after)) : '?';
    }
    case 'ref': {
      const d = delta(e, `page:${page}`, 'ref');
      return d ? ` (ref ${d.after})` : '';
    }
    case 'map':
      return String(delta(e, `page:${page}`, 'map')?.after ?? '?');
    case 'freed':
      return e.deltas.some((d) => d.object === `page:${page}` && d.field === 'flags' && (d.after & PageFlag.freed) !== 0 && (d.before & PageFlag.freed) === 0)
        ? ' freed'
        : '';
    case 'woken': {
      // threads whose wait entries turned WOKEN in this step
      const w = e.deltas
        .filter((d) => d.object.startsWith('thread:') && d.field === 'waitFlags' && (d.after & WaitFlag.woken) !== 0 && (d.before & WaitFlag.woken) === 0)
        .map((d) => d.object.slice('thread:'.length));
      return w.length ? `, wakes ${w.join(',')}` : '';
    }
    case 'already':
      return delta(e, `thread:${e.thread}`, 'waitFlags')?.after === WaitFlag.woken ? ' (already unlocked)' : '';
    case 'entryPage':
      return MIGRATION.exec(page)?.[1] ?? '?';
    default:
      throw new Error(`trace phrase of ${e.op}: unknown placeholder {${key}}`);
  }
}

export function describeStep(model: RunModel, e: StepRecorded): string {
  const phrase = isOpName(e.op) ? (OPS[e.op].trace ?? DEFAULT_PHRASE) : DEFAULT_PHRASE;
  return pick(model, e, phrase).replace(/\{([^}]+)\}/g, (_, key: string) => fill(model, e, key));
}
