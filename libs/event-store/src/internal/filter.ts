import type { AllFilter } from '../port.js';

/** Whether an event of `stream` and `type` passes the filter (prefixes OR-ed, types OR-ed, both AND-ed). */
export function filterPredicate(filter: AllFilter | undefined): (stream: string, type: string) => boolean {
  const prefixes = filter?.streamPrefix;
  const types = filter?.eventTypes ? new Set(filter.eventTypes) : undefined;
  return (stream, type) => (!prefixes || prefixes.some((prefix) => stream.startsWith(prefix))) && (!types || types.has(type));
}

export function assertFilter(filter: AllFilter | undefined): void {
  if (!filter) return;
  for (const [key, list] of Object.entries(filter)) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
      throw new TypeError(`filter.${key} must be an array of strings`);
    }
  }
}
