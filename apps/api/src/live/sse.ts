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

  /**
   * As `send`, from a feed read at the socket's pace: the next message is asked for only once the
   * socket has taken the last one (`write` returned true, or `drain`), so a client that stops
   * reading stops the reads from the store.
   */
  sendPulled(reply: FastifyReply, source: { next(): Promise<IteratorResult<SseMessage>>; return(): Promise<unknown> }): void {
    void reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    const write = (m: SseMessage) => res.write(`event: ${m.event}\n${m.id !== undefined ? `id: ${m.id}\n` : ''}data: ${JSON.stringify(m.data)}\n\n`);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(keepAlive);
      this.open.delete(shutdown);
      void source.return();
      res.end();
    };
    const shutdown = () => {
      if (!ended) write({ event: 'end', data: { reason: 'the server is shutting down' } });
      end();
    };
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.open.add(shutdown);
    res.on('close', end);
    const pump = async () => {
      let ok = res.write(': mmreplay live stream\n\n');
      while (!ended) {
        if (!ok)
          await new Promise<void>((resolve) => {
            const go = () => {
              res.off('drain', go);
              res.off('close', go);
              resolve();
            };
            res.on('drain', go);
            res.on('close', go);
          });
        if (ended) return;
        const r = await source.next();
        if (ended) return;
        if (r.done) {
          write({ event: 'end', data: {} });
          end();
          return;
        }
        ok = write(r.value);
      }
    };
    pump().catch((e: unknown) => {
      if (ended) return;
      const { type, title, status, detail } = toProblem(e);
      write({ event: 'error', data: { type, title, status, detail } });
      end();
    });
  }

  /** Ends every open stream with `event: end`. */
  endAll(): void {
    for (const shutdown of [...this.open]) shutdown();
  }
}
