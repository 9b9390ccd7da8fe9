// What a step changed, as paths into the state view (`pages.P.locked`, `threads.flt0.regs.ok`),
// from GET /runs/{id}/diff; a table cell is highlighted when its path, or a path below it, changed.

export function changedSet(changes: readonly { path: string }[] | undefined): ReadonlySet<string> {
  const set = new Set<string>();
  for (const c of changes ?? []) {
    const parts = c.path.split('.');
    // every prefix: the object's row (`ptes.e0`) is marked as well as the field (`ptes.e0.entry`)
    for (let i = 2; i <= parts.length; i++) set.add(parts.slice(0, i).join('.'));
  }
  return set;
}

/**
 * The paths at which two state views differ, as GET /runs/{id}/diff names them (`pages.P.locked`,
 * `threads.flt0.at.label`): objects are compared key by key, arrays and values whole. Stepping
 * compares the two states it already has instead of asking the server for a third document.
 */
export function viewChanges(a: unknown, b: unknown, path = ''): { path: string }[] {
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => viewChanges(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path }];
}

export function isChanged(set: ReadonlySet<string>, path: string): boolean {
  return set.has(path);
}

/** `page:P` for `pages.P`, as the history and deep links name objects. */
export function objectRef(table: 'pages' | 'ptes' | 'ptls' | 'threads' | 'vmas', name: string): string {
  const singular = { pages: 'page', ptes: 'pte', ptls: 'ptl', threads: 'thread', vmas: 'vma' }[table];
  return `${singular}:${name}`;
}
