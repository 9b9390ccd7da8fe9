// Where a worker thread of this library finds its code, and what it runs first. A worker thread
// cannot execute TypeScript sources, so when this library runs from src/ (the tests) it points at
// ../dist, which `npm test` builds first; tests that must not pass on a stale build give their own entry.

/** The file: URL of this library's built module `file` (dist/ beside the sources, or beside this file when built). */
export function builtModule(file: string): string {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL(`../dist/${file}`, here).href : new URL(`./${file}`, here).href;
}

/**
 * The source of a worker (eval) that imports `workerData.entry` and calls its export `run` with
 * its port and workerData, or says, as an error message, that it could not load it.
 */
export function workerSource(run: string): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.entry).then(({ ${run} }) => ${run}(parentPort, workerData),
  (e) => parentPort.postMessage({ type: 'error', message: 'cannot load the explorer in a worker: ' + e.message }));
`;
}
