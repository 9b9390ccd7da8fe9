import { describe, expect, it } from 'vitest';
import { HttpException } from '@nestjs/common';
import { InvalidParamsError, VariantNotApplicableError } from '@mmreplay/model';
import { StoreUnavailableError, WrongExpectedVersionError } from '@mmreplay/event-store';
import { InvalidPredicateError, ProjectionMismatchError, StepOutOfRangeError } from '@mmreplay/projections';
import { InvalidRunRequestError, RunConflictError, UnknownRunError } from '@mmreplay/runs';
import { AuditLimitError, UnknownAuditError } from '@mmreplay/audits';
import { RequestValidationError, toProblem } from './problem.js';

describe('toProblem', () => {
  it.each([
    [new RequestValidationError([{ field: 'a', message: 'm' }]), 400, '/problems/invalid-request'],
    [new InvalidParamsError([{ field: 'params.ptes', message: 'm' }]), 400, '/problems/invalid-request'],
    [new InvalidRunRequestError('seed', 'must be a non-negative integer'), 400, '/problems/invalid-request'],
    [new InvalidPredicateError([{ field: 'all[0].page', message: 'm' }]), 400, '/problems/invalid-request'],
    [new StepOutOfRangeError('r', 9, 3), 400, '/problems/invalid-request'],
    [new UnknownRunError('r'), 404, '/problems/not-found'],
    [new UnknownAuditError('a'), 404, '/problems/not-found'],
    [new WrongExpectedVersionError('run-r', 3n, 4n), 409, '/problems/conflict'],
    [new RunConflictError('r', 'seed', 1, 2), 409, '/problems/conflict'],
    [new HttpException('too big', 413), 413, '/problems/payload-too-large'],
    [new VariantNotApplicableError([{ field: 'switches.X', message: 'm' }]), 422, '/problems/variant-not-applicable'],
    [new AuditLimitError(2, 5), 429, '/problems/too-many-requests'],
    [new StoreUnavailableError('disk full'), 503, '/problems/store-unavailable'],
  ])('%s -> %i', (error, status, type) => {
    const p = toProblem(error, () => {
      throw new Error('not a server fault');
    });
    expect(p).toMatchObject({ status, type });
  });

  it('names the fields of model and predicate errors', () => {
    expect(toProblem(new InvalidRunRequestError('seed', 'must be a non-negative integer')).errors).toEqual([{ field: 'seed', message: 'must be a non-negative integer' }]);
    expect(toProblem(new InvalidPredicateError([{ field: 'all[0].page', message: 'm' }])).errors).toEqual([{ field: 'where.all[0].page', message: 'm' }]);
    expect(toProblem(new StoreUnavailableError('disk full: /var/lib/secret')).detail).not.toContain('/var/lib');
    expect(toProblem(new AuditLimitError(2, 5)).retryAfter).toBe(5);
  });

  it('a server fault is a 500 that says nothing of the fault, and is reported', () => {
    const seen: unknown[] = [];
    const p = toProblem(new TypeError('cannot read x of undefined at /work/main/secret.ts:12'), (e) => seen.push(e));
    expect(p).toEqual({ type: '/problems/internal', title: 'Internal error', status: 500, detail: 'internal error' });
    expect(seen).toHaveLength(1);
    expect(toProblem(new ProjectionMismatchError('delta before 3 != 4'), () => undefined).status).toBe(500);
  });
});
