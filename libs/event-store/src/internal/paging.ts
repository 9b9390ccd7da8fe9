import type { RecordedEvent } from '@mmreplay/events';
import type { PagingOptions, ReadStreamOptions } from '../port.js';
import { assertMaxCount } from './encoding.js';

export const DEFAULT_PAGE_SIZE = 1_000;

export function pageSizeOf(options: PagingOptions): number {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, not ${pageSize}`);
  return pageSize;
}

/** `readStream` page by page; revisions are contiguous, so the next page starts next to the last event. */
export async function* iterateStreamPages(
  readStream: (stream: string, options: ReadStreamOptions) => Promise<RecordedEvent[]>,
  stream: string,
  options: ReadStreamOptions & PagingOptions,
): AsyncGenerator<RecordedEvent> {
  assertMaxCount(options.maxCount);
  const pageSize = pageSizeOf(options);
  const direction = options.direction ?? 'forwards';
  let from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
  let remaining = options.maxCount ?? Infinity;
  while (remaining > 0) {
    const want = Math.min(pageSize, remaining);
    const page = await readStream(stream, { fromRevision: from, direction, maxCount: want });
    for (const event of page) yield event;
    remaining -= page.length;
    if (page.length < want) return;
    const last = page[page.length - 1].revision;
    if (direction === 'backwards' && last === 0n) return;
    from = direction === 'forwards' ? last + 1n : last - 1n;
  }
}
