import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable, Subscription } from 'rxjs';
import { toProblem } from '../http/problem.js';

export interface SseMessage {
  event: string;
  id?: string;
  data: unknown;
}

const KEEP_ALIVE_MS = 15_000;

/**
 * Server-sent events: each message of `source` as an SSE event (`event`, `id`, `data` as JSON),
 * then `event: end` when the source completes. The streams open are tracked so that a shutdown
 * ends them cleanly instead of cutting them.
 */
export class LiveStreams {
  private readonly open = new Set<() => void>();

  get size(): number {
    return this.open.size;
  }

  send(_request: FastifyRequest, reply: FastifyReply, source: Observable<SseMessage>): void {
    void reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': mmreplay live stream\n\n');
    const write = (m: SseMessage) => res.write(`event: ${m.event}\n${m.id !== undefined ? `id: ${m.id}\n` : ''}data: ${JSON.stringify(m.data)}\n\n`);
    let ended = false;
    const held: { subscription?: Subscription } = {};
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(keepAlive);
      held.subscription?.unsubscribe();
      this.open.delete(shutdown);
      res.end();
    };
    const shutdown = () => {
      if (!ended) write({ event: 'end', data: { reason: 'the server is shutting down' } });
      end();
    };
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.open.add(shutdown);
    held.subscription = source.subscribe({
      next: write,
      error: (e: unknown) => {
        const { type, title, status, detail } = toProblem(e);
        write({ event: 'error', data: { type, title, status, detail } });
        end();
      },
      complete: () => {
        write({ event: 'end', data: {} });
        end();
      },
    });
    if (ended) held.subscription.unsubscribe();
    res.on('close', end);
  }

  /** Ends every open stream with `event: end`. */
  endAll(): void {
    for (const shutdown of [...this.open]) shutdown();
  }
}
