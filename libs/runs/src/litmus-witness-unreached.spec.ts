import { describe, expect, it } from 'vitest';
import { litmusWitnessRequest } from './litmus-witness.js';
import { InvalidRunRequestError } from './errors.js';

// A witness the engine's lkmm cannot reach (docs/memory-model.md, "Where the engine's lkmm still
// differs"): the refusal says why, naming the ordering of the engine's that held a thread back,
// where it did, so that the user knows it is the engine's limit and not the LKMM's answer.

const LB_XCHG = `C LB+xchg-relaxed
{}
P0(int *x, int *y)
{
	int r0;
	r0 = xchg_relaxed(x, 1);
	WRITE_ONCE(*y, 1);
}
P1(int *x, int *y)
{
	int r1;
	r1 = READ_ONCE(*y);
	smp_mb();
	WRITE_ONCE(*x, 2);
}
exists (0:r0=2 /\\ 1:r1=1)
`;

describe('a witness the engine does not reach', () => {
  it('is refused naming the ordering that held a thread back, and where', () => {
    let error: unknown;
    try {
      litmusWitnessRequest(LB_XCHG);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidRunRequestError);
    const message = (error as Error).message;
    expect(message).toContain("the engine's lkmm does not reach the witness's final state (0:r0=2 1:r1=1)");
    expect(message).toContain("P0 at P0.1 waited on the engine's ordering: a read-modify-write");
  });

  it('the same test with xchg() fully ordered: Never in the LKMM, and its witness (a negative one) is recorded', () => {
    const req = litmusWitnessRequest(LB_XCHG.replace('xchg_relaxed', 'xchg'));
    expect(req.schedule).toBeTruthy();
    expect(req.finalState).not.toEqual({ '0:r0': '2', '1:r1': '1' });
  });
});
