import { userInfo } from 'node:os';
import { storeFromEnv, type EventStore } from '@mmreplay/event-store';
import { mmreplayUpcasters } from '@mmreplay/events';

/**
 * Opens the store `MMREPLAY_STORE` names (default `sqlite:./data/mmreplay.db`) for one command and
 * closes it afterwards, whatever happens.
 */
export async function withStore<T>(use: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await storeFromEnv(process.env, { upcasters: mmreplayUpcasters() });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Who runs the command: `MMREPLAY_ACTOR`, else the login name. */
export function actor(): string {
  if (process.env['MMREPLAY_ACTOR']) return process.env['MMREPLAY_ACTOR'];
  try {
    return userInfo().username || 'anonymous';
  } catch {
    return 'anonymous';
  }
}

/** The team runs are recorded for: `MMREPLAY_TEAM`, else `default`. */
export const team = (): string => process.env['MMREPLAY_TEAM'] || 'default';
