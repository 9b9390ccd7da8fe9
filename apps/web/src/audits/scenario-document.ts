import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Issue, SwitchInfo } from './variant';

// A scenario document typed into the start form (YAML, or JSON, which is YAML too). The page reads
// only what the form needs from it: whether it parses at all, and the parameters, switches and
// named variants the form offers. Everything else (paths, instructions, labels, checks) is the
// API's to judge: its 400 names each problem by a field path (`document.threads[1].path`), and
// `lineOf` finds the line of the text that path points at, so the message can say where to look.

export interface ParamInfo {
  name: string;
  default: number;
  min: number;
  max: number;
  description: string;
}

/** What the form offers for a scenario: a built-in's or a published one's summary, or a document's. */
export interface ScenarioOutline {
  name: string;
  title: string;
  params: ParamInfo[];
  switches: SwitchInfo[];
  variants: { name: string; description: string }[];
}

export interface ReadDocument {
  /** absent while the text does not parse to a mapping */
  outline?: ScenarioOutline;
  /** syntax only, under `document` as the API names them */
  issues: Issue[];
  /** the 1-based line a request field (`document.threads[1].path`) points at, or its nearest enclosing one's */
  lineOf(field: string): number | undefined;
}

const list = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown, otherwise: number): number => (typeof v === 'number' ? v : otherwise);

/** The keys of a request field under `document`: `document.threads[1].path` is threads, 1, path. */
export function documentPath(field: string): (string | number)[] | undefined {
  if (field !== 'document' && !field.startsWith('document.') && !field.startsWith('document[')) return undefined;
  return [...field.slice('document'.length).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

function outlineOf(value: Record<string, unknown>): ScenarioOutline {
  return {
    name: text(value.name),
    title: text(value.title),
    params: list(value.params).map((p) => ({
      name: text(p.name),
      default: num(p.default, 0),
      min: num(p.min, 0),
      max: num(p.max, Number.MAX_SAFE_INTEGER),
      description: text(p.description),
    })),
    switches: list(value.switches).map((w) => ({ name: text(w.name), values: Array.isArray(w.values) ? w.values.map(String) : [] })),
    variants: list(value.variants).map((v) => ({ name: text(v.name), description: text(v.description) })),
  };
}

function lineFinder(doc: Document, lines: LineCounter) {
  return (field: string): number | undefined => {
    const path = documentPath(field);
    if (!path) return undefined;
    // the deepest node the path reaches: a missing key is reported at the mapping that lacks it
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) return lines.linePos(range[0]).line;
    }
    return undefined;
  };
}

export function readScenarioDocument(source: string): ReadDocument {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const lineOf = lineFinder(doc, lines);
  if (doc.errors.length)
    return {
      issues: doc.errors.map((e) => ({ field: 'document', message: `line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}` })),
      lineOf,
    };
  if (source.trim() === '') return { issues: [{ field: 'document', message: 'empty: paste or write a scenario document' }], lineOf };
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { issues: [{ field: 'document', message: 'must be a mapping of fields (name, threads, paths, ...)' }], lineOf };
  return { outline: outlineOf(value as Record<string, unknown>), issues: [], lineOf };
}
