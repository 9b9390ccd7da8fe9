// The benchmark scripts' command-line options: `--name value`.

/** The value after `--name` on the command line, or `fallback` when it is not there. */
export function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

/** The seed scenario at N as the explorer benchmarks search it: N PTEs and N faulting threads (ResolveRequest). */
export const seedRequest = (n) => ({ scenario: 'seed', params: { ptes: n, faults: n } });

/** Bounds no benchmark run should meet: a measured search runs to its end. */
export const UNBOUNDED = { maxSeconds: 3000, maxStates: 2e9, maxMemoryMB: 8000 };
