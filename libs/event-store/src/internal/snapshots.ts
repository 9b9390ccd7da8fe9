import type { Snapshot } from '../port.js';

export function assertConsumer(consumer: string): void {
  if (typeof consumer !== 'string' || consumer.length === 0) throw new TypeError('a consumer name is a non-empty string');
}

export function assertSnapshot(stream: string, snapshot: Snapshot<unknown>): void {
  if (typeof stream !== 'string' || stream.length === 0) throw new TypeError('a snapshot key is a non-empty string');
  if (typeof snapshot?.revision !== 'bigint' || snapshot.revision < 0n) throw new TypeError('a snapshot revision is a bigint >= 0n');
  if (!Number.isSafeInteger(snapshot.version) || snapshot.version < 0) throw new TypeError('a snapshot version is an integer >= 0');
}

export function serialiseState(state: unknown): string {
  const text = JSON.stringify(state);
  if (text === undefined) throw new TypeError('a snapshot state must be a JSON value');
  return text;
}
