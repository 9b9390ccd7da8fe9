import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';

// docs/seed-question.md answers the LKML thread with replay commands: each one must still replay
// to a violation of the model it names.
const doc = readFileSync(new URL('../../../docs/seed-question.md', import.meta.url), 'utf8');
const commands = [
  ...new Set(
    doc
      .split('\n')
      .map((l) => /(mmreplay run .*--schedule \S+)/.exec(l)?.[1])
      .filter((c): c is string => c !== undefined),
  ),
];

function parse(cmd: string) {
  const words = cmd.split(/\s+/).slice(2);
  const params: Record<string, string> = {};
  let variant: string | undefined;
  let schedule = '';
  for (let i = 1; i < words.length; i++) {
    if (words[i] === '--param') {
      const [k, v] = words[++i].split('=');
      params[k] = v;
    } else if (words[i] === '--variant') variant = words[++i];
    else if (words[i] === '--schedule') schedule = words[++i];
  }
  return { scenario: words[0], params, variant, schedule };
}

describe('the seed question document', () => {
  it('has the replay commands of its answer', () => {
    expect(commands.length).toBeGreaterThanOrEqual(20);
  });
  for (const cmd of commands) {
    it(`replays: ${cmd.slice(13, 90)}`, () => {
      const { scenario, params, variant, schedule } = parse(cmd);
      const { world } = resolveModel({ scenario, params, variant });
      const r = new Runtime(world).run({ scheduler: new ReplayScheduler(schedule), maxSteps: new ReplayScheduler(schedule).length });
      expect(r.outcome).toBe('violation');
    });
  }
});
