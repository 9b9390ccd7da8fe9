import { RateLimiter } from './rate-limiter.js';

/** Failed authentications a client may make at once, and then per second. */
export const AUTH_FAILURE_BURST = 20;
export const AUTH_FAILURES_PER_SECOND = 1;

/**
 * Token guessing, counted per client address for REST, GraphQL over HTTP and graphql-ws alike:
 * AUTH_FAILURE_BURST failed attempts, then one per second; over that, every attempt is refused
 * before its token is even looked at. The address is the socket's, or the proxy's client address
 * when `trustProxy` says the proxy in front is trusted (see the README).
 */
export class AuthFailures {
  private readonly limiter = new RateLimiter(AUTH_FAILURE_BURST, AUTH_FAILURES_PER_SECOND);

  /** 0 when the client may try a token now, else the seconds to wait. */
  blocked(client: string): number {
    return this.limiter.peek(`auth-failure:${client}`);
  }

  failed(client: string): void {
    this.limiter.take(`auth-failure:${client}`);
  }
}
