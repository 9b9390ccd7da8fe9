import { LitmusSyntaxError } from './errors.js';

export interface Token {
  readonly t: 'id' | 'num' | 'op' | 'eof';
  readonly v: string;
  readonly line: number;
}

// Longest first, so that `/\` is not read as `/` and `<=` not as `<`.
const OPS = [
  '/\\',
  '\\/',
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '->',
  '++',
  '--',
  '+=',
  '-=',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ';',
  ',',
  ':',
  '*',
  '&',
  '=',
  '+',
  '-',
  '/',
  '%',
  '|',
  '^',
  '!',
  '~',
  '<',
  '>',
  '?',
  '.',
];

export interface Lexed {
  readonly tokens: Token[];
  /** The text of every `(* ... *)` comment outside process bodies (where herd keeps `Result:`). */
  readonly comments: string[];
}

/**
 * Tokens of a litmus test after its `C name` line. `(* ... *)` is a comment only outside braces
 * (in a process body `READ_ONCE(*x)` starts with `(*`); `//` and `/* ... *\/` are comments anywhere.
 */
export function lex(text: string, firstLine: number): Lexed {
  const tokens: Token[] = [];
  const comments: string[] = [];
  let line = firstLine;
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new LitmusSyntaxError('unterminated /* comment', line);
      for (let j = i; j < end; j++) if (text[j] === '\n') line++;
      i = end + 2;
      continue;
    }
    if (c === '(' && text[i + 1] === '*' && depth === 0) {
      const end = text.indexOf('*)', i + 2);
      if (end < 0) throw new LitmusSyntaxError('unterminated (* comment', line);
      comments.push(text.slice(i + 2, end));
      for (let j = i; j < end; j++) if (text[j] === '\n') line++;
      i = end + 2;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(text[j])) j++;
      tokens.push({ t: 'id', v: text.slice(i, j), line });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_]/.test(text[j])) j++;
      const raw = text.slice(i, j);
      if (!/^(0x[0-9a-fA-F]+|[0-9]+)[uUlL]*$/.test(raw)) throw new LitmusSyntaxError(`bad number '${raw}'`, line);
      tokens.push({ t: 'num', v: String(Number.parseInt(raw.replace(/[uUlL]+$/, ''))), line });
      i = j;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new LitmusSyntaxError(`unexpected character '${c}'`, line);
    if (op === '{') depth++;
    if (op === '}') depth--;
    tokens.push({ t: 'op', v: op, line });
    i += op.length;
  }
  tokens.push({ t: 'eof', v: '', line });
  return { tokens, comments };
}
