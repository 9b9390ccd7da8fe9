import { checkLitmus, formatHerd, parseLitmus, type LitmusResult } from '@mmreplay/litmus';

/**
 * Candidate executions one request may examine. The check runs on the request's thread; the
 * kernel's own tests need at most a few hundred, a test beyond this is refused (400), not run.
 */
export const LITMUS_MAX_CANDIDATES = 50_000;

/** At most this many characters of litmus text per request. */
export const LITMUS_MAX_TEXT = 16_384;

export type LitmusAnswer = LitmusResult & { herd: string };

/**
 * Checks one C litmus test under the LKMM. A test that does not parse, uses a construct the
 * checker does not model, or is too big to check is bad input: a 400 naming the field `test`
 * and the line.
 */
export function runLitmus(text: string): LitmusAnswer {
  // Its errors are the checker's typed ones (kind `invalid`, field `test`): a 400 by their kind.
  const r = checkLitmus(parseLitmus(text), { maxCandidates: LITMUS_MAX_CANDIDATES });
  return { ...r, herd: formatHerd(r) };
}
