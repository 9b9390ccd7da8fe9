import { opNames } from '../isa.js';
import { mappingKinds } from '../world.js';
import { pteKindNames, type MigrationTypeName } from '../pte.js';
import { invariantNames } from '../invariants.js';
import { DOCUMENT_LIMITS as L } from './limits.js';
import { toJsonSchema, type Shape } from './shape.js';

// The scenario document's shape: the one schema (docs/scenarios.md is its reference).

/** object, thread and register names; `${expr}` inside for items a `repeat` replicates */
const NAME = '^(?:[A-Za-z0-9_.~+=,-]|\\$\\{[^{}]*\\})+$';
/** names that are keys of a map (registers, paths, switches): no `${}` */
const KEY = '^[A-Za-z_][A-Za-z0-9_.~+-]*$';
const SCENARIO_NAME = '^[a-z0-9][a-z0-9._+-]*$';
/** switch values and variant names: litmus names such as `MP+poonceonces`, `wmb+rmb` */
const VALUE = '^[A-Za-z0-9_][A-Za-z0-9_.~+=,-]*$';
const value = (doc?: string): Shape => ({ t: 'string', max: 100, pattern: VALUE, doc });
const name = (doc?: string): Shape => ({ t: 'string', max: L.name, pattern: NAME, doc });
const text = (doc?: string): Shape => ({ t: 'string', max: L.text, doc });
const names = (max: number, doc?: string): Shape => ({ t: 'array', of: name(), max, doc });
const predicate = (doc: string): Shape => ({
  t: 'record',
  doc: `a predicate (docs/scenarios.md, user invariants; the language of first-where) that ${doc}`,
});
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const conditional: Record<string, Shape> = {
  when: {
    t: 'map',
    key: KEY,
    max: L.switches + 2,
    of: {
      t: 'oneOf',
      of: [text(), { t: 'array', of: text(), max: L.switchValues }],
      pick: (v) => (typeof v === 'string' ? 0 : Array.isArray(v) ? 1 : -1),
      doc: 'a switch value or a list of them',
    },
    doc: 'keep the item only when every named switch has the value (or one of the values) given',
  },
  if: { t: 'string', max: 400, doc: 'keep the item only when this expression over the parameters is non-zero (no ${})' },
  repeat: {
    t: 'object',
    props: { as: name('the variable, 0 .. count-1'), count: { t: 'intExpr', doc: `how many copies (at most ${L.repeat})` } },
    required: ['as', 'count'],
    doc: 'replicate the item, substituting ${as} in its fields',
  },
};

/** names, each a name or { name, repeat, if, when } (a group of `${faults}` threads) */
const members = (max: number): Shape => ({
  t: 'array',
  max,
  of: {
    t: 'oneOf',
    of: [name(), { t: 'object', props: { name: name(), ...conditional }, required: ['name'] }],
    pick: (v) => (typeof v === 'string' ? 0 : isRecord(v) ? 1 : -1),
    doc: 'a name, or an object with a name and conditions',
  },
});

const src: Shape = {
  t: 'object',
  props: { file: text('e.g. mm/migrate.c'), fn: text('the kernel function'), version: text('e.g. v6.6') },
  required: ['file', 'fn', 'version'],
  doc: 'where in the kernel the step comes from',
};

const arg: Shape = {
  t: 'oneOf',
  of: [{ t: 'string', max: 400 }, { t: 'int' }],
  pick: (v) => (typeof v === 'string' ? 0 : typeof v === 'number' ? 1 : -1),
  doc: 'a register, a label, an integer or a ${expression}',
};

const patchStep: Shape = {
  t: 'object',
  props: { label: name(), op: { t: 'string', enum: opNames, doc: 'an instruction of the ISA (docs/model.md)' }, args: { t: 'array', of: arg, max: 8 }, src },
  required: ['label', 'op', 'args'],
};

const patch: Shape = {
  t: 'object',
  props: {
    op: { t: 'string', enum: ['delete', 'insert', 'replace', 'move'] },
    path: name(),
    step: name(),
    before: name(),
    after: name(),
    steps: { t: 'array', of: patchStep, max: 200 },
  },
  required: ['op', 'path'],
  doc: 'a change to a path, by step label (docs/variants.md)',
};
const patches: Shape = { t: 'array', of: patch, max: 200 };
const switchValues: Shape = { t: 'map', key: KEY, of: text(), max: L.switches + 2 };

const expectation: Shape = {
  t: 'object',
  props: {
    commit: text('the kernel commit the verdict comes from'),
    verdict: { t: 'string', enum: ['holds', 'violated'] },
    invariant: { t: 'string', enum: invariantNames as readonly string[] as string[] },
    why: text(),
  },
  required: ['commit', 'verdict', 'why'],
};

const pte: Shape = {
  t: 'object',
  props: {
    kind: { t: 'string', enum: pteKindNames },
    page: { t: 'string', max: L.name },
    writable: { t: 'boolean' },
    type: { t: 'string', enum: ['read', 'write', 'readExclusive'] satisfies MigrationTypeName[] },
  },
  required: ['kind'],
  doc: 'the initial entry: none, present(page, writable), migration(page, type), devicePrivate(page, writable)',
};

const REG_TYPES = ['page', 'pte', 'vma', 'vmaset', 'pteval', 'int'];

const stepsPath: Shape = {
  t: 'object',
  props: {
    title: {
      t: 'oneOf',
      of: [text(), { t: 'array', max: 64, of: { t: 'object', props: { text: text(), when: conditional.when }, required: ['text'] } }],
      pick: (v) => (typeof v === 'string' ? 0 : Array.isArray(v) ? 1 : -1),
      doc: 'a title, or a list of { text, when } (the first that matches the switches)',
    },
    when: conditional.when,
    regs: { t: 'map', key: KEY, of: { t: 'string', enum: REG_TYPES }, max: 10, doc: 'registers and their kinds, in order (at most 10)' },
    steps: {
      t: 'array',
      max: L.stepsPerPath,
      min: 1,
      of: {
        t: 'object',
        props: {
          label: { t: 'string', max: L.name + 40, pattern: NAME, doc: 'the step label jumps, patches and traces name (unique in the path)' },
          op: { t: 'string', enum: opNames, doc: 'an instruction of the ISA (docs/model.md)' },
          args: { t: 'array', of: arg, max: 8 },
          src,
          ...conditional,
        },
        required: ['op'],
      },
    },
  },
  required: ['regs', 'steps'],
};

const builtinPath: Shape = {
  t: 'object',
  props: {
    builtin: {
      t: 'object',
      props: { scenario: name(), path: name(), params: { t: 'map', key: KEY, of: { t: 'intExpr' }, max: L.params }, switches: switchValues },
      required: ['scenario', 'path'],
      doc: 'reuse a kernel path of a built-in scenario (mmreplay scenarios show <name> --paths)',
    },
  },
  required: ['builtin'],
};

export const SCENARIO_SHAPE: Shape = {
  t: 'object',
  doc: 'An mmreplay scenario: a world, its threads and their paths (docs/scenarios.md)',
  required: ['name', 'title', 'threads', 'paths'],
  props: {
    $schema: { t: 'string', max: 400, doc: 'the JSON Schema, for editors' },
    format: { t: 'string', enum: ['mmreplay/scenario@1'] },
    name: { t: 'string', max: L.name, pattern: SCENARIO_NAME, doc: 'lower case, digits, . _ + -' },
    title: text(),
    description: text(),
    source: { t: 'object', props: { commit: text(), thread: text(), url: text() }, doc: 'the kernel commit, mail thread or URL' },
    row: text('the reference catalogue row (built-ins)'),
    params: {
      t: 'array',
      max: L.params,
      of: {
        t: 'object',
        props: { name: name(), default: { t: 'int' }, min: { t: 'int' }, max: { t: 'int' }, description: text() },
        required: ['name', 'default', 'min', 'max'],
      },
    },
    switches: {
      t: 'array',
      max: L.switches,
      of: {
        t: 'object',
        props: {
          name: name(),
          values: { t: 'array', of: value(), max: L.switchValues, min: 1 },
          default: value(),
          description: text(),
          patches: { t: 'map', key: KEY, of: patches, max: L.switchValues, doc: 'patch sets selected by a value' },
        },
        required: ['name', 'values', 'default'],
      },
    },
    rmapOrder: { t: 'string', enum: ['fixed'], doc: 'walk VMAs in declaration order whatever WALK says' },
    pages: {
      t: 'array',
      max: L.objects,
      of: {
        t: 'object',
        props: {
          name: name(),
          ref: { t: 'intExpr', doc: 'refcount' },
          map: { t: 'intExpr', doc: 'mapcount' },
          mapping: { t: 'string', enum: mappingKinds },
          locked: { t: 'boolean' },
          head: name('the compound head of a THP tail'),
          index: { t: 'intExpr', doc: 'page->index' },
          free: { t: 'boolean', doc: 'not yet allocated (get_new_page hands it out)' },
          owner: name('the thread holding the page lock'),
          ...conditional,
        },
        required: ['name', 'ref', 'map', 'mapping'],
      },
    },
    vmas: {
      t: 'array',
      max: L.objects,
      doc: 'VMAs of the one anon_vma / mapping, in rmap order',
      of: {
        t: 'object',
        props: {
          name: name(),
          start: { t: 'intExpr' },
          pgoff: { t: 'intExpr' },
          tempStack: { t: 'boolean' },
          nonlinear: { t: 'boolean' },
          unlinked: { t: 'boolean', doc: 'not in the rmap at the start: a thread links it with vma_set' },
          ...conditional,
        },
        required: ['name', 'start', 'pgoff'],
      },
    },
    ptes: {
      t: 'array',
      max: L.objects,
      of: {
        t: 'object',
        props: { name: name(), addr: { t: 'intExpr' }, ptl: name('its page-table lock'), init: pte, ...conditional },
        required: ['name', 'addr', 'ptl', 'init'],
      },
    },
    ptls: {
      t: 'array',
      max: L.objects,
      of: {
        t: 'oneOf',
        of: [name(), { t: 'object', props: { name: name(), ...conditional }, required: ['name'] }],
        pick: (v) => (typeof v === 'string' ? 0 : isRecord(v) ? 1 : -1),
        doc: 'a PTL name, or an object with a name and conditions',
      },
    },
    threads: {
      t: 'array',
      max: L.threads,
      min: 1,
      of: {
        t: 'object',
        props: {
          name: name(),
          path: name(),
          args: { t: 'map', key: KEY, of: arg, max: 10, doc: 'initial registers: object names for page, PTE and VMA registers, integers otherwise' },
          tlb: names(L.objects, 'PTEs this CPU has cached'),
          start: {
            t: 'object',
            props: {
              after: name('a thread that must have finished first (or reached `label`)'),
              label: { t: 'string', max: L.name, doc: 'a label of that thread: start once it has reached it rather than finished' },
            },
            required: ['after'],
          },
          ...conditional,
        },
        required: ['name', 'path'],
      },
    },
    paths: {
      t: 'map',
      key: KEY,
      max: L.paths,
      of: {
        t: 'oneOf',
        of: [stepsPath, builtinPath],
        pick: (v) => (isRecord(v) && 'builtin' in v ? 1 : isRecord(v) ? 0 : -1),
        doc: 'steps, or a built-in path',
      },
    },
    invariants: {
      t: 'array',
      of: {
        t: 'oneOf',
        of: [
          { t: 'string', enum: invariantNames as readonly string[] as string[] },
          {
            t: 'object',
            props: {
              name: { t: 'string', max: L.name, pattern: SCENARIO_NAME, doc: 'how verdicts name it (default: user-<index>)' },
              always: predicate('holds after every step'),
              never: predicate('holds after no step'),
              message: { t: 'string', max: L.text, doc: 'what a violation says' },
            },
            required: ['message'],
          },
        ],
        pick: (v) => (typeof v === 'string' ? 0 : isRecord(v) ? 1 : -1),
        doc: 'a built-in invariant by name, or a user invariant {name, always | never, message}',
      },
      max: 32,
      doc: 'audited when the request names none',
    },
    symmetry: {
      t: 'array',
      max: 16,
      of: {
        t: 'object',
        props: { threads: members(L.threads), ptes: members(L.objects), vmas: members(L.objects), pages: members(L.objects), ...conditional },
      },
      doc: 'tuples (threads[i], ptes[i], vmas[i], pages[i]) any permutation of which maps the world onto itself; verified at load',
    },
    litmus: {
      t: 'object',
      props: {
        vars: names(16),
        results: { t: 'array', of: { t: 'string', max: L.name }, max: 16 },
        exists: { t: 'array', max: 16, of: { t: 'object', props: { name: { t: 'string', max: L.name }, value: { t: 'int' } }, required: ['name', 'value'] } },
      },
      required: ['vars', 'results', 'exists'],
    },
    variants: {
      t: 'array',
      max: L.variants,
      of: {
        t: 'object',
        props: { name: value(), description: text(), switches: switchValues, patches, expect: expectation },
        required: ['name'],
      },
    },
    expect: expectation,
    catalogueParams: { t: 'map', key: KEY, of: { t: 'int' }, max: L.params },
  },
};

/** The JSON Schema of a scenario document (served by the API, kept in libs/model/schema). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://mmreplay.dev/schema/scenario.schema.json',
    title: 'mmreplay scenario document',
    ...toJsonSchema(SCENARIO_SHAPE),
  };
}
