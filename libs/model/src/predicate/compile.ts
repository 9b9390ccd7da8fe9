import { isMigrationEntry, MigrationType, pteKind, PteKind, pteKindNames, pteMigrationType, ptePfn, pteWritable } from '../pte.js';
import { mappingKinds } from '../world.js';
import { PageField, PageFlag, RcuField, ThreadField, WaitFlag } from '../layout.js';
import { VmaFlag } from '../isa.js';
import { StateClass } from '../op-decl.js';
import { InvalidPredicateError, type Kind, type PredicateIssue } from './predicate.js';
import { domainSize, threadState, type PredicateEvent, type PredicateModel, type ThreadState } from './context.js';

/** A compiled predicate: true when it holds of the state after a step (and of that step's event). */
export type StatePredicate = (state: Int32Array, event: PredicateEvent | null) => boolean;

type Test = (s: Int32Array, e: PredicateEvent | null, env: Int32Array) => boolean;
/** An object reference resolved at evaluation time: an index into the model's objects, or -1 for none. */
type Getter = (s: Int32Array, env: Int32Array) => number;

const KINDS: readonly Kind[] = ['page', 'pte', 'ptl', 'thread', 'vma', 'var'];
const COMBINATORS = ['all', 'any', 'not', 'exists', 'every'] as const;
const THREAD_STATES: readonly ThreadState[] = ['runnable', 'sleeping', 'spinning', 'done', 'crashed'];
const MIGRATION_TYPES = Object.keys(MigrationType);
const NUMBER_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
const MAX_NODES = 500;
const MAX_DEPTH = 32;
const MAX_TEXT = 200;
const MAX_LIST = 64;
/** PTE kinds whose entry names a page frame. */
const WITH_PAGE = new Set<number>([PteKind.present, PteKind.migration, PteKind.swap, PteKind.devicePrivate]);

const FIELDS: Record<string, readonly string[]> = {
  page: ['page', 'locked', 'lockedBy', 'waiters', 'ref', 'map', 'freed', 'frozen', 'mapping'],
  pte: ['pte', 'kind', 'page', 'writable', 'type'],
  ptl: ['ptl', 'held', 'heldBy'],
  thread: [
    'thread',
    'status',
    'at',
    'in',
    'path',
    'holdsPageLock',
    'holdsPtl',
    'waitingOn',
    'regs',
    'pendingLoads',
    'pendingStores',
    'rcuSection',
    'inGracePeriod',
  ],
  vma: ['vma', 'start', 'pgoff', 'inInterval', 'tempStack', 'nonlinear'],
  var: ['var', 'value', 'notSeenBy'],
  event: ['event'],
};
const EVENT_FIELDS = ['thread', 'kind', 'op', 'label', 'fn', 'args'];

/** Entries of a compacted queue (a store buffer, outstanding loads): the first empty slot ends it. */
function countEntries(s: Int32Array, cap: number, entry: (i: number) => number): number {
  let n = 0;
  while (n < cap && s[entry(n)] !== 0) n++;
  return n;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/**
 * What a predicate reads of a state, for the explorer's reductions: a step that may change what it
 * reads is visible (partial order), registers it reads are never cleared as dead, and a predicate
 * that is not invariant under renaming interchangeable objects turns symmetry off.
 */
export interface PredicateReads {
  /** classes of shared state (StateClass) its tests read */
  classes: number;
  /** per thread: it reads that thread's own state (pc, status, registers, wait entry, memory queues) */
  readonly threads: boolean[];
  /** it reads register values */
  regs: boolean;
  /** it names an object, or reads a value (a register, a VMA's start or pgoff) that interchangeable objects need not share */
  asymmetric: boolean;
  /** it has event tests (it reads the step that produced the state) */
  events: boolean;
}

export interface CompileOptions {
  /** `event` tests are allowed (firstWhere: yes; an invariant, checked on states: no) */
  readonly events?: boolean;
}

/**
 * Validates a predicate against a run's model and compiles it. Throws `InvalidPredicateError`
 * listing every problem with the field it is in.
 */
export function compilePredicate(model: PredicateModel, input: unknown, options: CompileOptions = {}): StatePredicate {
  return compilePredicateReads(model, input, options).test;
}

/** compilePredicate, with what the predicate reads. */
export function compilePredicateReads(model: PredicateModel, input: unknown, options: CompileOptions = {}): { test: StatePredicate; reads: PredicateReads } {
  const c = new Compiler(model, options.events !== false);
  const test = c.node(input, '', 0);
  if (c.issues.length) throw new InvalidPredicateError(c.issues);
  const env = new Int32Array(Math.max(1, c.variables));
  return { test: (s, e) => test(s, e, env), reads: c.reads };
}

/** Shared state a test of each kind may read (coarse: a wider set only makes reductions explore more). */
const CLASSES_READ: Record<Kind, number> = {
  page: StateClass.lock | StateClass.count | StateClass.free,
  pte: StateClass.pte,
  ptl: StateClass.ptl,
  // holdsPageLock, holdsPtl, status (spinning on a PTL or the rmap lock, asleep), waitingOn, pending loads and stores
  thread: StateClass.lock | StateClass.ptl | StateClass.rmapLock | StateClass.wait | StateClass.mem,
  vma: StateClass.vma,
  var: StateClass.mem,
};
/** Thread test fields that read the thread's own state. */
const THREAD_LOCAL = ['status', 'at', 'in', 'regs', 'pendingLoads', 'pendingStores', 'waitingOn'];

class Compiler {
  readonly issues: PredicateIssue[] = [];
  variables = 0;
  private nodes = 0;
  private readonly scope = new Map<string, { kind: Kind; slot: number }>();
  readonly reads: PredicateReads;

  constructor(
    private readonly model: PredicateModel,
    private readonly allowEvents = true,
  ) {
    this.reads = { classes: 0, threads: model.world.threads.map(() => false), regs: false, asymmetric: false, events: false };
  }

  private fail(field: string, message: string): Test {
    this.issues.push({ field, message });
    return () => false;
  }

  private knownKeys(node: Record<string, unknown>, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(node))
      if (!allowed.includes(key)) this.issues.push({ field: at(path, key), message: `unknown field (allowed: ${allowed.join(', ')})` });
  }

  node(input: unknown, path: string, depth: number): Test {
    if (++this.nodes > MAX_NODES) return this.fail(path, `a predicate has at most ${MAX_NODES} tests`);
    if (depth > MAX_DEPTH) return this.fail(path, `a predicate nests at most ${MAX_DEPTH} deep`);
    if (!isRecord(input)) return this.fail(path, 'must be an object such as {"all": [...]} or {"pte": "e0", "kind": "migration"}');
    // `page` is also a field of a PTE test ({pte: 'e0', page: 'P'}: e0 maps P).
    const heads = [...COMBINATORS, ...Object.keys(FIELDS)].filter((k) => k in input && !(k === 'page' && 'pte' in input));
    if (heads.length !== 1) {
      return this.fail(
        path,
        heads.length
          ? `has ${heads.join(' and ')}: use exactly one of them per object (combine with all)`
          : `needs one of ${[...COMBINATORS, ...Object.keys(FIELDS)].join(', ')}`,
      );
    }
    const head = heads[0];
    switch (head) {
      case 'all':
      case 'any': {
        this.knownKeys(input, [head], path);
        const list = input[head];
        if (!Array.isArray(list) || list.length === 0 || list.length > MAX_LIST)
          return this.fail(at(path, head), `must be a list of 1 to ${MAX_LIST} predicates`);
        const parts = list.map((p, i) => this.node(p, at(at(path, head), i), depth + 1));
        return head === 'all' ? (s, e, env) => parts.every((p) => p(s, e, env)) : (s, e, env) => parts.some((p) => p(s, e, env));
      }
      case 'not': {
        this.knownKeys(input, ['not'], path);
        const inner = this.node(input.not, at(path, 'not'), depth + 1);
        return (s, e, env) => !inner(s, e, env);
      }
      case 'exists':
      case 'every':
        return this.quantifier(input, head, path, depth);
      case 'event':
        return this.event(input, path);
      default:
        return this.objectTest(head as Kind, input, path);
    }
  }

  private quantifier(input: Record<string, unknown>, head: 'exists' | 'every', path: string, depth: number): Test {
    this.knownKeys(input, [head, 'as', 'where'], path);
    const kind = input[head];
    if (typeof kind !== 'string' || !KINDS.includes(kind as Kind)) return this.fail(at(path, head), `must be one of ${KINDS.join(', ')}`);
    const name = input.as;
    if (typeof name !== 'string' || !/^\$[A-Za-z_]\w{0,30}$/.test(name)) return this.fail(at(path, 'as'), "must be a variable name such as '$e'");
    if (this.scope.has(name)) return this.fail(at(path, 'as'), `${name} is already bound by an enclosing quantifier`);
    const slot = this.variables++;
    this.scope.set(name, { kind: kind as Kind, slot });
    const where = this.node(input.where, at(path, 'where'), depth + 1);
    this.scope.delete(name);
    const n = domainSize(this.model, kind as Kind);
    if (head === 'exists') {
      return (s, e, env) => {
        for (let i = 0; i < n; i++) {
          env[slot] = i;
          if (where(s, e, env)) return true;
        }
        return false;
      };
    }
    return (s, e, env) => {
      for (let i = 0; i < n; i++) {
        env[slot] = i;
        if (!where(s, e, env)) return false;
      }
      return true;
    };
  }

  private names(kind: Kind): readonly string[] {
    const w = this.model.world;
    switch (kind) {
      case 'page':
        return w.pages.map((p) => p.name);
      case 'pte':
        return w.ptes.map((p) => p.name);
      case 'ptl':
        return w.ptls;
      case 'thread':
        return w.threads.map((t) => t.name);
      case 'vma':
        return w.vmas.map((v) => v.name);
      case 'var':
        return w.litmus?.vars ?? [];
    }
  }

  /** A reference to one object of `kind`: a name, `kind:name`, a variable, or `{of: <PTE>}` for pages and PTLs. */
  ref(kind: Kind, input: unknown, path: string): Getter | undefined {
    if (isRecord(input)) {
      if (kind !== 'page' && kind !== 'ptl') {
        this.issues.push({ field: path, message: `a ${kind} is named by a string ({of: ...} names only pages and PTLs)` });
        return undefined;
      }
      this.knownKeys(input, ['of'], path);
      const pte = this.ref('pte', input.of, at(path, 'of'));
      if (!pte) return undefined;
      const L = this.model.layout;
      if (kind === 'ptl') {
        return (s, env) => {
          const e = pte(s, env);
          return e < 0 ? -1 : L.ptlOfPte[e];
        };
      }
      this.reads.classes |= StateClass.pte;
      return (s, env) => {
        const e = pte(s, env);
        if (e < 0) return -1;
        const v = s[L.pte(e)];
        return WITH_PAGE.has(pteKind(v)) ? ptePfn(v) : -1;
      };
    }
    if (typeof input !== 'string' || input.length === 0 || input.length > MAX_TEXT) {
      this.issues.push({ field: path, message: `must name a ${kind} (a name, '${kind}:name' or a bound variable)` });
      return undefined;
    }
    if (input.startsWith('$')) {
      const v = this.scope.get(input);
      if (!v) {
        this.issues.push({ field: path, message: `${input} is not bound by an enclosing exists/every` });
        return undefined;
      }
      if (v.kind !== kind) {
        this.issues.push({ field: path, message: `${input} is a ${v.kind}, not a ${kind}` });
        return undefined;
      }
      const slot = v.slot;
      return (_s, env) => env[slot];
    }
    this.reads.asymmetric = true;
    const prefix = `${kind}:`;
    const name = input.startsWith(prefix) ? input.slice(prefix.length) : input;
    const names = this.names(kind);
    const index = names.indexOf(name);
    if (index < 0) {
      this.issues.push({ field: path, message: `the world has no ${kind} '${name}' (it has ${names.join(', ') || 'none'})` });
      return undefined;
    }
    return () => index;
  }

  /** A thread reference: a name or variable, '*' for any thread, null for none. Returns a test on a holder value (thread index + 1, 0 = none). */
  private holder(input: unknown, path: string): ((holder: number, s: Int32Array, env: Int32Array) => boolean) | undefined {
    if (input === null) return (h) => h === 0;
    if (input === '*') return (h) => h !== 0;
    const t = this.ref('thread', input, path);
    return t ? (h, s, env) => h === t(s, env) + 1 : undefined;
  }

  private bool(input: Record<string, unknown>, key: string, path: string): boolean | undefined {
    const v = input[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.issues.push({ field: at(path, key), message: 'must be true or false' });
      return undefined;
    }
    return v;
  }

  private number(input: Record<string, unknown>, key: string, path: string): ((v: number) => boolean) | undefined {
    const v = input[key];
    if (v === undefined) return undefined;
    const field = at(path, key);
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) return void this.issues.push({ field, message: 'must be an integer' });
      return (x) => x === v;
    }
    if (!isRecord(v) || Object.keys(v).length === 0) return void this.issues.push({ field, message: 'must be an integer or {eq, ne, lt, le, gt, ge}' });
    this.knownKeys(v, NUMBER_OPS, field);
    const checks: ((x: number) => boolean)[] = [];
    for (const op of NUMBER_OPS) {
      const n = v[op];
      if (n === undefined) continue;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
        this.issues.push({ field: at(field, op), message: 'must be an integer' });
        continue;
      }
      checks.push(
        op === 'eq'
          ? (x) => x === n
          : op === 'ne'
            ? (x) => x !== n
            : op === 'lt'
              ? (x) => x < n
              : op === 'le'
                ? (x) => x <= n
                : op === 'gt'
                  ? (x) => x > n
                  : (x) => x >= n,
      );
    }
    return (x) => checks.every((c) => c(x));
  }

  /** 'exact' or 'prefix*', or a list of them when `list`. */
  private text(value: unknown, field: string, list: boolean): ((x: string) => boolean) | undefined {
    const one = (t: unknown, f: string): ((x: string) => boolean) | undefined => {
      if (typeof t !== 'string' || t.length === 0 || t.length > MAX_TEXT)
        return void this.issues.push({ field: f, message: `must be a text of 1 to ${MAX_TEXT} characters ('exact' or 'prefix*')` });
      if (t.endsWith('*')) {
        const prefix = t.slice(0, -1);
        return (x) => x.startsWith(prefix);
      }
      return (x) => x === t;
    };
    if (list && Array.isArray(value)) {
      if (value.length === 0 || value.length > MAX_LIST) return void this.issues.push({ field, message: `must list 1 to ${MAX_LIST} values` });
      const all = value.map((v, i) => one(v, at(field, i)));
      if (all.some((x) => !x)) return undefined;
      return (x) => all.some((m) => m!(x));
    }
    return one(value, field);
  }

  private choice(value: unknown, field: string, allowed: readonly string[]): Set<string> | undefined {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || values.length > MAX_LIST || values.some((v) => typeof v !== 'string' || !allowed.includes(v))) {
      return void this.issues.push({ field, message: `must be one of ${allowed.join(', ')}${Array.isArray(value) ? '' : ' (or a list of them)'}` });
    }
    return new Set(values as string[]);
  }

  private objectTest(kind: Kind, input: Record<string, unknown>, path: string): Test {
    this.knownKeys(input, FIELDS[kind], path);
    const before = this.issues.length;
    // With a bad reference, the other fields are still checked (every issue is reported at once).
    const self = this.ref(kind, input[kind], at(path, kind)) ?? (() => -1);
    this.reads.classes |= CLASSES_READ[kind];
    if (kind === 'thread' && THREAD_LOCAL.some((f) => input[f] !== undefined)) this.readThreadState(input.thread);
    if (input.regs !== undefined) this.reads.regs = true;
    if (input.regs !== undefined || (kind === 'vma' && (input.start !== undefined || input.pgoff !== undefined))) this.reads.asymmetric = true;
    const tests: Test[] = [];
    switch (kind) {
      case 'page':
        this.pageTests(input, path, self, tests);
        break;
      case 'pte':
        this.pteTests(input, path, self, tests);
        break;
      case 'ptl':
        this.ptlTests(input, path, self, tests);
        break;
      case 'thread':
        this.threadTests(input, path, self, tests);
        break;
      case 'vma':
        this.vmaTests(input, path, self, tests);
        break;
      case 'var':
        this.varTests(input, path, self, tests);
        break;
    }
    if (this.issues.length > before) return () => false;
    // A reference that resolves to nothing (the page of a `none` PTE) makes the test false.
    return (s, e, env) => self(s, env) >= 0 && tests.every((t) => t(s, e, env));
  }

  /** The predicate reads the own state of the thread `ref` names (a bound variable: of any thread). */
  private readThreadState(ref: unknown): void {
    const threads = this.model.world.threads;
    const name = typeof ref === 'string' && !ref.startsWith('$') ? (ref.startsWith('thread:') ? ref.slice(7) : ref) : undefined;
    const t = name === undefined ? -1 : threads.findIndex((x) => x.name === name);
    if (t >= 0) this.reads.threads[t] = true;
    else this.reads.threads.fill(true);
  }

  private pageTests(input: Record<string, unknown>, path: string, self: Getter, tests: Test[]): void {
    const L = this.model.layout;
    // PageLocked(): PG_locked has the PF_NO_TAIL policy, so a tail page reads its head's bit.
    const head = (s: Int32Array, env: Int32Array) => s[L.page(self(s, env), PageField.head)];
    const flag = (key: string, bit: number, ofHead: boolean) => {
      const want = this.bool(input, key, path);
      if (want !== undefined) tests.push((s, _e, env) => ((s[L.page(ofHead ? head(s, env) : self(s, env), PageField.flags)] & bit) !== 0) === want);
    };
    flag('locked', PageFlag.locked, true);
    flag('waiters', PageFlag.waiters, false);
    flag('freed', PageFlag.freed, false);
    flag('frozen', PageFlag.frozen, false);
    if (input.lockedBy !== undefined) {
      const holder = this.holder(input.lockedBy, at(path, 'lockedBy'));
      if (holder) {
        tests.push((s, _e, env) => {
          const h = head(s, env);
          const owner = (s[L.page(h, PageField.flags)] & PageFlag.locked) !== 0 ? s[L.page(h, PageField.owner)] : 0;
          return holder(owner, s, env);
        });
      }
    }
    for (const [key, field] of [
      ['ref', PageField.ref],
      ['map', PageField.map],
    ] as const) {
      const test = this.number(input, key, path);
      if (test) tests.push((s, _e, env) => test(s[L.page(self(s, env), field)]));
    }
    if (input.mapping !== undefined) {
      const m = mappingKinds.indexOf(input.mapping as never);
      if (m < 0) this.issues.push({ field: at(path, 'mapping'), message: `must be one of ${mappingKinds.join(', ')}` });
      else tests.push((s, _e, env) => s[L.page(self(s, env), PageField.mapping)] === m);
    }
  }

  private pteTests(input: Record<string, unknown>, path: string, self: Getter, tests: Test[]): void {
    const L = this.model.layout;
    const value = (s: Int32Array, env: Int32Array) => s[L.pte(self(s, env))];
    if (input.kind !== undefined) {
      const kinds = this.choice(input.kind, at(path, 'kind'), pteKindNames);
      if (kinds) {
        const codes = new Set<number>([...kinds].map((k) => PteKind[k as keyof typeof PteKind]));
        tests.push((s, _e, env) => codes.has(pteKind(value(s, env))));
      }
    }
    if (input.page !== undefined) {
      const page = this.ref('page', input.page, at(path, 'page'));
      if (page) {
        tests.push((s, _e, env) => {
          const v = value(s, env);
          return WITH_PAGE.has(pteKind(v)) && ptePfn(v) === page(s, env);
        });
      }
    }
    const writable = this.bool(input, 'writable', path);
    if (writable !== undefined) {
      // A migration entry's "writable" is its type: make_writable_migration_entry().
      tests.push((s, _e, env) => {
        const v = value(s, env);
        return (isMigrationEntry(v) ? pteMigrationType(v) === MigrationType.write : pteWritable(v)) === writable;
      });
    }
    if (input.type !== undefined) {
      const types = this.choice(input.type, at(path, 'type'), MIGRATION_TYPES);
      if (types) {
        const codes = new Set<number>([...types].map((t) => MigrationType[t as keyof typeof MigrationType]));
        tests.push((s, _e, env) => {
          const v = value(s, env);
          return isMigrationEntry(v) && codes.has(pteMigrationType(v));
        });
      }
    }
  }

  private ptlTests(input: Record<string, unknown>, path: string, self: Getter, tests: Test[]): void {
    const L = this.model.layout;
    const held = this.bool(input, 'held', path);
    if (held !== undefined) tests.push((s, _e, env) => (s[L.ptl(self(s, env))] !== 0) === held);
    if (input.heldBy !== undefined) {
      const holder = this.holder(input.heldBy, at(path, 'heldBy'));
      if (holder) tests.push((s, _e, env) => holder(s[L.ptl(self(s, env))], s, env));
    }
  }

  private threadTests(input: Record<string, unknown>, path: string, self: Getter, tests: Test[]): void {
    const model = this.model;
    const L = model.layout;
    const step = (s: Int32Array, env: Int32Array) => {
      const t = self(s, env);
      return model.stepAt(t, s[L.thread(t, ThreadField.pc)]);
    };
    if (input.status !== undefined) {
      const states = this.choice(input.status, at(path, 'status'), THREAD_STATES);
      if (states) tests.push((s, _e, env) => states.has(threadState(model, s, self(s, env))));
    }
    if (input.at !== undefined) {
      const label = this.text(input.at, at(path, 'at'), false);
      if (label) tests.push((s, _e, env) => label(step(s, env)?.label ?? 'end'));
    }
    if (input.in !== undefined) {
      const fn = this.text(input.in, at(path, 'in'), false);
      if (fn) tests.push((s, _e, env) => fn(step(s, env)?.src.fn ?? ''));
    }
    if (input.path !== undefined) {
      const paths = Object.keys(model.world.paths);
      if (typeof input.path !== 'string' || !paths.includes(input.path))
        this.issues.push({ field: at(path, 'path'), message: `must be a path of the model (${paths.join(', ')})` });
      else {
        const want = input.path;
        tests.push((s, _e, env) => model.world.threads[self(s, env)].path === want);
      }
    }
    if (input.holdsPageLock !== undefined) {
      const page = this.ref('page', input.holdsPageLock, at(path, 'holdsPageLock'));
      if (page) {
        tests.push((s, _e, env) => {
          const p = page(s, env);
          return p >= 0 && (s[L.page(p, PageField.flags)] & PageFlag.locked) !== 0 && s[L.page(p, PageField.owner)] === self(s, env) + 1;
        });
      }
    }
    if (input.holdsPtl !== undefined) {
      const ptl = this.ref('ptl', input.holdsPtl, at(path, 'holdsPtl'));
      if (ptl) {
        tests.push((s, _e, env) => {
          const l = ptl(s, env);
          return l >= 0 && s[L.ptl(l)] === self(s, env) + 1;
        });
      }
    }
    if (input.regs !== undefined) {
      const field = at(path, 'regs');
      if (!isRecord(input.regs) || Object.keys(input.regs).length === 0)
        this.issues.push({ field, message: 'must be an object of register names to integers or {eq, ne, lt, le, gt, ge}' });
      else {
        for (const name of Object.keys(input.regs)) {
          const test = this.number(input.regs, name, field);
          if (!test) continue;
          // The register by name in the thread's path (a bound thread variable: in whichever path it runs).
          const slots = this.model.world.threads.map((_, t) => this.model.regSlot(t, name) ?? -1);
          if (slots.every((x) => x < 0)) this.issues.push({ field: at(field, name), message: `no thread of the run has a register '${name}'` });
          else
            tests.push((s, _e, env) => {
              const slot = slots[self(s, env)];
              return slot >= 0 && test(s[slot]);
            });
        }
      }
    }
    for (const [key, count] of [
      ['pendingLoads', (s: Int32Array, t: number) => countEntries(s, L.lqCapacity[t], (i) => L.lqEntry(t, i))],
      ['pendingStores', (s: Int32Array, t: number) => countEntries(s, L.sbCapacity[t], (i) => L.sbEntry(t, i))],
      // the nesting depth of its RCU read-side section (0 outside one, and for a thread with no RCU step)
      ['rcuSection', (s: Int32Array, t: number) => (L.rcuBase[t] >= 0 ? s[L.rcu(t, RcuField.depth)] : 0)],
    ] as const) {
      const test = this.number(input, key, path);
      if (test) tests.push((s, _e, env) => test(count(s, self(s, env))));
    }
    const gp = this.bool(input, 'inGracePeriod', path);
    if (gp !== undefined) tests.push((s, _e, env) => (L.rcuBase[self(s, env)] >= 0 && s[L.rcu(self(s, env), RcuField.gp)] !== 0) === gp);
    if (input.waitingOn !== undefined) {
      if (input.waitingOn === null) tests.push((s, _e, env) => s[L.thread(self(s, env), ThreadField.waitPage)] < 0);
      else {
        const page = this.ref('page', input.waitingOn, at(path, 'waitingOn'));
        if (page) {
          tests.push((s, _e, env) => {
            const t = self(s, env);
            const p = page(s, env);
            return p >= 0 && s[L.thread(t, ThreadField.waitPage)] === p && (s[L.thread(t, ThreadField.waitFlags)] & WaitFlag.woken) === 0;
          });
        }
      }
    }
  }

  /** A litmus variable: its value (the last store in coherence order), and (lkmm) which CPU has not seen that store yet. */
  private varTests(input: Record<string, unknown>, path: string, self: Getter, tests: Test[]): void {
    const L = this.model.layout;
    const value = this.number(input, 'value', path);
    if (value) tests.push((s, _e, env) => value(s[L.vars + self(s, env)]));
    if (input.notSeenBy !== undefined) {
      // a CPU's view is its own state (its loads advance it, a guessed way's included)
      if (input.notSeenBy !== null) this.readThreadState(input.notSeenBy);
      const who = this.holder(input.notSeenBy, at(path, 'notSeenBy'));
      if (who) {
        const T = this.model.world.threads.length;
        // The newest store has not reached CPU t: its view of the location is behind the newest.
        const behind = (s: Int32Array, v: number, t: number) => {
          const k = L.mlocOf[L.varLoc(v)];
          return k >= 0 && L.viewBase[t] >= 0 && s[L.finished(t)] === 0 && s[L.view(t, k)] < s[L.msgBase[k]];
        };
        tests.push((s, _e, env) => {
          const v = self(s, env);
          for (let t = 0; t < T; t++) if (who(t + 1, s, env) && behind(s, v, t)) return true;
          return false;
        });
      }
    }
  }

  private vmaTests(input: Record<string, unknown>, path: string, self: Getter, tests: Test[]): void {
    const L = this.model.layout;
    for (const [key, field] of [
      ['start', 0],
      ['pgoff', 1],
    ] as const) {
      const test = this.number(input, key, path);
      if (test) tests.push((s, _e, env) => test(s[L.vma(self(s, env), field)]));
    }
    for (const [key, bit] of [
      ['inInterval', VmaFlag.inInterval],
      ['tempStack', VmaFlag.tempStack],
      ['nonlinear', VmaFlag.nonlinear],
    ] as const) {
      const want = this.bool(input, key, path);
      if (want !== undefined) tests.push((s, _e, env) => ((s[L.vma(self(s, env), 2)] & bit) !== 0) === want);
    }
  }

  private event(input: Record<string, unknown>, path: string): Test {
    if (!this.allowEvents)
      return this.fail(at(path, 'event'), "an invariant is checked on states, not on steps: test where a thread is instead ({thread: T, at: 'LABEL'})");
    this.reads.events = true;
    this.knownKeys(input, ['event'], path);
    const q = input.event;
    const field = at(path, 'event');
    if (!isRecord(q)) return this.fail(field, 'must be an object {thread?, kind?, op?, label?, fn?, args?}');
    this.knownKeys(q, EVENT_FIELDS, field);
    const before = this.issues.length;
    const tests: Test[] = [];
    if (q.thread !== undefined) {
      const holder = this.holder(q.thread, at(field, 'thread'));
      if (holder) tests.push((s, e, env) => holder(e!.threadIndex + 1, s, env));
    }
    for (const key of ['kind', 'op', 'label', 'fn'] as const) {
      if (q[key] === undefined) continue;
      const match = this.text(q[key], at(field, key), key === 'kind' || key === 'op');
      if (!match) continue;
      tests.push(key === 'fn' ? (_s, e) => match(e!.src.fn) : (_s, e) => match(e![key]));
    }
    if (q.args !== undefined) {
      const argsField = at(field, 'args');
      if (!isRecord(q.args) || Object.keys(q.args).length === 0)
        this.issues.push({ field: argsField, message: 'must be an object of operand names to values' });
      else {
        for (const [name, want] of Object.entries(q.args)) {
          const f = at(argsField, name);
          if (typeof want === 'string' && want.startsWith('$')) {
            // A bound object: the operand must name it.
            const v = this.scope.get(want);
            if (!v) {
              this.issues.push({ field: f, message: `${want} is not bound by an enclosing exists/every` });
              continue;
            }
            const names = this.names(v.kind);
            tests.push((_s, e, env) => e!.args[name] === names[env[v.slot]]);
          } else {
            const match = this.text(want, f, false);
            if (match) tests.push((_s, e) => name in e!.args && match(String(e!.args[name])));
          }
        }
      }
    }
    if (this.issues.length > before) return () => false;
    // The state before the first step has no event: an event test is false there.
    return (s, e, env) => e !== null && tests.every((t) => t(s, e, env));
  }
}
