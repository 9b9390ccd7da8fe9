import { parseArgs } from 'node:util';
import { didYouMean } from '@mmreplay/model';
import { UsageError } from './io.js';

/** One option of a command, for the parser and for `--help`. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** what the value is, in the help (`N`, `k=v`, `NAME`) */
  readonly arg?: string;
  readonly help: string;
}

/** A command's words: what `mmreplay <command> --help` prints and what its parser accepts. */
export interface CommandSpec {
  readonly name: string;
  /** one line: what the command does */
  readonly summary: string;
  /** synopsis lines, each starting with `mmreplay <command>` */
  readonly usage: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** paragraphs after the options: arguments, examples, exit codes */
  readonly details?: string;
}

/** `--help` (or `-h`) on a command: print its help, exit 0. */
export class HelpRequested extends Error {
  constructor(readonly spec: CommandSpec) {
    super(`help for ${spec.name}`);
  }
}

/** Runs node:util parseArgs (or any parse) and turns its errors into usage errors. */
export function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const NEGATIVE_NUMBER = /^-\d+$/;

/**
 * Parses a command's arguments against its spec. `--help`/`-h` anywhere asks for its help; a
 * negative number after an option that takes a value is that value (`--at -1`); an unknown option
 * is named with the nearest known ones and a pointer to the help.
 */
export function parseCommand(
  spec: CommandSpec,
  argv: readonly string[],
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (a === '--help' || a === '-h') throw new HelpRequested(spec);
    const m = /^--([^=]+)$/.exec(a);
    if (m && spec.options[m[1]]?.type === 'string' && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) {
      args.push(`${a}=${argv[++i]}`);
      continue;
    }
    args.push(a);
  }
  const options = Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [k, { type: o.type, multiple: o.multiple === true }]));
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as ReturnType<typeof parseCommand>;
  } catch (e) {
    const err = e as Error & { code?: string };
    const see = `(mmreplay ${spec.name} --help lists its options)`;
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const typed = /'([^']+)'/.exec(err.message)?.[1] ?? '';
      const name = typed.replace(/^-+/, '').replace(/=.*$/, '');
      const suggestion = didYouMean(name, Object.keys(spec.options)).replace(/'([^']+)'/g, "'--$1'");
      throw new UsageError(`unknown option '${typed}' for ${spec.name}${suggestion} ${see}`);
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = /'(--?[^ ']+)/.exec(err.message)?.[1] ?? '';
      const o = spec.options[flag.replace(/^-+/, '').replace(/ .*$/, '')];
      throw new UsageError(o?.type === 'boolean' ? `${flag} takes no value ${see}` : `${flag} needs a value${o?.arg ? ` (${o.arg})` : ''} ${see}`);
    }
    throw new UsageError(`${err.message} ${see}`);
  }
}

const s = (v: string | boolean | string[] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: string | boolean | string[] | undefined): string[] | undefined => (Array.isArray(v) ? v : undefined);
/** Typed reads of parsed values. */
export const opt = { string: s, list, flag: (v: string | boolean | string[] | undefined): boolean => v === true };

/** `mmreplay <command> --help`: synopsis, what it does, every option, details. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([k, o]) => [`--${k}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}${o.multiple ? ' ...' : ''}`, o.help]);
  const width = Math.min(28, Math.max('--help'.length, ...rows.map((r) => r[0].length)));
  const lines = [...rows, ['--help', 'this help']].map(([flag, help]) =>
    flag.length > width ? `  ${flag}\n  ${''.padEnd(width)}  ${help}` : `  ${flag.padEnd(width)}  ${help}`,
  );
  return `${spec.summary}\n\nusage:\n${spec.usage.map((u) => `  ${u}`).join('\n')}\n\noptions:\n${lines.join('\n')}\n${spec.details ? `\n${spec.details.trimEnd()}\n` : ''}`;
}

/** The first synopsis line, for `usage:` in errors. */
export const usageLine = (spec: CommandSpec): string => spec.usage.join('\n  ');

export function intOption(value: string | undefined, name: string, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return dflt;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new UsageError(`--${name} must be an integer from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got '${value}'`);
  return Number(value);
}

/** `--param k=v` pairs. */
export function paramsOption(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of values ?? []) {
    const m = /^([A-Za-z][\w-]*)=(.*)$/.exec(kv);
    if (!m) throw new UsageError(`--param takes key=value, got '${kv}'`);
    out[m[1]] = m[2];
  }
  return out;
}

/** `--switch NAME=VALUE` pairs (the model checks names and values). */
export function switchesOption(values: string[] | undefined): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  const out: Record<string, string> = {};
  for (const kv of values) {
    const m = /^([A-Za-z][\w-]*)=(.+)$/.exec(kv);
    if (!m) throw new UsageError(`--switch takes NAME=VALUE, got '${kv}'`);
    out[m[1]] = m[2];
  }
  return out;
}
