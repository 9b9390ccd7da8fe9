// The benchmark scripts' command-line options: `--name value`.

/** The value after `--name` on the command line, or `fallback` when it is not there. */
export function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}
