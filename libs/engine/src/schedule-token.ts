// A schedule is a value: the sequence of scheduling decisions of one run, serialised to a short
// token that reproduces the run anywhere (`--strategy replay --schedule TOKEN`).
//
// Token: `s1.<threads>.<choices>`, each part base64url of unsigned LEB128 varints. <threads> is
// run-length encoded: (thread << 1 | 1, run) for a run of two or more steps of one thread, or
// (thread << 1) for a single step. <choices> lists, in order, the choice made at every step that
// had more than one (rmap walk order, TLB eviction, which write a load reads).

import { DomainError } from '@mmreplay/model';

export interface Schedule {
  readonly threads: number[];
  readonly choices: number[];
}

/** A schedule token that does not decode, or stands for more steps than allowed. */
export class InvalidScheduleTokenError extends DomainError {
  readonly kind = 'invalid';
  constructor(message: string) {
    super(message, { issues: [{ field: 'schedule', message }], detail: `schedule: ${message}` });
  }
}

function writeVarint(out: number[], v: number): void {
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

function readVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let v = 0;
  let shift = 0;
  for (const b of bytes) {
    v |= (b & 0x7f) << shift;
    if (b & 0x80) {
      shift += 7;
      if (shift > 28) throw new InvalidScheduleTokenError('schedule token: varint too long');
    } else {
      out.push(v >>> 0);
      v = 0;
      shift = 0;
    }
  }
  if (shift !== 0) throw new InvalidScheduleTokenError('schedule token: truncated');
  return out;
}

export function encodeSchedule(s: Schedule): string {
  const t: number[] = [];
  for (let i = 0; i < s.threads.length;) {
    let j = i + 1;
    while (j < s.threads.length && s.threads[j] === s.threads[i]) j++;
    const run = j - i;
    if (run > 1) {
      writeVarint(t, (s.threads[i] << 1) | 1);
      writeVarint(t, run);
    } else writeVarint(t, s.threads[i] << 1);
    i = j;
  }
  const c: number[] = [];
  for (const x of s.choices) writeVarint(c, x);
  return `s1.${Buffer.from(t).toString('base64url')}.${Buffer.from(c).toString('base64url')}`;
}

/** The longest single run-length entry a token may carry. */
const MAX_RUN = 100_000_000;

/**
 * A token parsed without expanding its run-length entries: memory in proportion to the token's
 * own length, never to the number of steps it stands for (one entry may stand for 10^8 steps).
 */
export interface CompactSchedule {
  /** entry i: `counts[i]` steps of thread `threads[i]` */
  readonly threads: Uint32Array;
  readonly counts: Uint32Array;
  /** the steps the token stands for: the sum of `counts` */
  readonly length: number;
  readonly choices: number[];
}

export function parseSchedule(token: string): CompactSchedule {
  const m = /^s1\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)$/.exec(token.trim());
  if (!m) throw new InvalidScheduleTokenError("schedule token: expected 's1.<threads>.<choices>' in base64url");
  const t = readVarints(Buffer.from(m[1], 'base64url'));
  const threads: number[] = [];
  const counts: number[] = [];
  let length = 0;
  for (let i = 0; i < t.length; i++) {
    threads.push(t[i] >>> 1);
    if (t[i] & 1) {
      const run = t[++i];
      if (run === undefined || run > MAX_RUN) throw new InvalidScheduleTokenError('schedule token: bad run length');
      counts.push(run);
      length += run;
    } else {
      counts.push(1);
      length += 1;
    }
  }
  return { threads: Uint32Array.from(threads), counts: Uint32Array.from(counts), length, choices: readVarints(Buffer.from(m[2], 'base64url')) };
}

/** How many steps a token stands for, without expanding it. */
export const scheduleLength = (token: string): number => parseSchedule(token).length;

/**
 * The token expanded to one thread per step. Refuses (before allocating) a token standing for
 * more than `maxSteps` steps; replaying never expands (see `ReplayScheduler`).
 */
export function decodeSchedule(token: string, maxSteps = 10_000_000): Schedule {
  const c = parseSchedule(token);
  if (c.length > maxSteps) throw new InvalidScheduleTokenError(`schedule token: ${c.length} steps, more than the ${maxSteps} allowed here`);
  const threads = new Array<number>(c.length);
  let k = 0;
  for (let i = 0; i < c.threads.length; i++) for (let n = 0; n < c.counts[i]; n++) threads[k++] = c.threads[i];
  return { threads, choices: c.choices };
}
