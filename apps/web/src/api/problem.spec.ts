import { describe, expect, it } from 'vitest';
import type { ApiProblem } from '@mmreplay/contracts';
import { ApiError, problemOfResponse } from './problem';

describe('the problem of a failed response', () => {
  it('is the problem details the API sent, field issues included', () => {
    const sent: ApiProblem = {
      type: '/problems/invalid-request',
      title: 'The request is not valid',
      status: 400,
      detail: 'invalid request: document.threads[0].path: no such path',
      errors: [{ field: 'document.threads[0].path', message: 'no such path' }],
    };
    const p = problemOfResponse(new Response(null, { status: 400 }), sent);
    expect(p).toEqual(sent);
    expect(new ApiError(p).message).toBe(sent.detail);
  });

  it('is made of the status when the body is not problem details (a proxy, a dropped connection)', () => {
    expect(problemOfResponse(new Response(null, { status: 502, statusText: 'Bad Gateway' }), undefined)).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
      detail: 'Bad Gateway',
    });
    expect(problemOfResponse(new Response(null, { status: 500 }), 'upstream timed out')).toMatchObject({
      status: 500,
      title: 'HTTP 500',
      detail: 'upstream timed out',
    });
  });
});
