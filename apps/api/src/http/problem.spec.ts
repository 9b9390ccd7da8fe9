import { describe, expect, it } from 'vitest';
import { HttpException } from '@nestjs/common';
import { InvalidParamsError, PathLinkError, VariantNotApplicableError } from '@mmreplay/model';
import { StoreUnavailableError, WrongExpectedVersionError } from '@mmreplay/event-store';
import { InvalidPredicateError, ProjectionMismatchError, StepOutOfRangeError } from '@mmreplay/projections';
import { InvalidRunRequestError, RunConflictError, UnknownRunError } from '@mmreplay/runs';
import { AuditLimitError, AuditsShuttingDownError, UnknownAuditError } from '@mmreplay/audits';
import { ProgramFaultError } from '@mmreplay/engine';
import { EventStoreConfigError } from '@mmreplay/event-store';
import { PROBLEM_OF_KIND, PROBLEM_TYPES, RequestValidationError, toProblem } from './problem.js';

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
    [new AuditsShuttingDownError(5), 503, '/problems/shutting-down'],
    [new ProgramFaultError('thread f1: ret with an empty call stack'), 400, '/problems/invalid-request'],
    [new PathLinkError('fault', 'steps[2].args[0]', "no register 'pgae'"), 422, '/problems/variant-not-applicable'],
  ])('%s -> %i', (error, status, type) => {
    const p = toProblem(error, () => {
      throw new Error('not a server fault');
    });
    expect(p).toMatchObject({ status, type });
  });

  it('names the fields of model and predicate errors', () => {
    expect(toProblem(new InvalidRunRequestError('seed', 'must be a non-negative integer')).errors).toEqual([
      { field: 'seed', message: 'must be a non-negative integer' },
    ]);
    expect(toProblem(new InvalidPredicateError([{ field: 'all[0].page', message: 'm' }])).errors).toEqual([{ field: 'where.all[0].page', message: 'm' }]);
    expect(toProblem(new PathLinkError('fault', 'steps[2].args[0]', "no register 'pgae'")).errors).toEqual([
      { field: 'paths.fault.steps[2].args[0]', message: "no register 'pgae'" },
    ]);
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

  it('a variant the machine refuses names the variant; shutdown is a 503 with Retry-After, never a team limit', () => {
    expect(toProblem(new ProgramFaultError('thread f1: ret with an empty call stack')).errors).toEqual([
      { field: 'variant', message: 'thread f1: ret with an empty call stack' },
    ]);
    const stopping = toProblem(new AuditsShuttingDownError(5));
    expect(stopping).toMatchObject({ status: 503, retryAfter: 5 });
    expect(stopping.detail).not.toMatch(/already runs/);
  });

  it("the server's own configuration is a reported 500 that names nothing of it", () => {
    const seen: unknown[] = [];
    const p = toProblem(new EventStoreConfigError('/etc/mmreplay/secret.db has schema version 9'), (e) => seen.push(e));
    expect(p).toMatchObject({ status: 500, detail: 'internal error' });
    expect(seen).toHaveLength(1);
  });

  it('every kind of domain error has a documented problem type', () => {
    for (const slug of Object.values(PROBLEM_OF_KIND)) expect(PROBLEM_TYPES[slug]).toBeDefined();
  });
});
