// Child processes of the SQLite integration tests run the real adapter, not a copy of it.
// Node 20 cannot run TypeScript, and tests run before any build, so this transpiles the
// sources of @mmreplay/events and @mmreplay/event-store (swc, type stripping only) into a
// scratch directory under node_modules/.cache, where better-sqlite3 and rxjs resolve as usual.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFileSync } from '@swc/core';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'contract' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function transpile(from: string, to: string, rewrite: (code: string, outFile: string) => string): void {
  for (const file of sources(from)) {
    const out = join(to, relative(from, file)).replace(/\.ts$/, '.js');
    const { code } = transformFileSync(file, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: false,
      swcrc: false,
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, rewrite(code, out));
  }
}

/** Builds the libraries for child processes; returns the path of event-store's index.js and a cleanup. */
export function buildChildLibrary(): { entry: string; cleanup: () => void } {
  const root = join(repo, 'node_modules', '.cache', `mmreplay-event-store-test-${process.pid}-${Date.now()}`);
  const eventsOut = join(root, 'events');
  const storeOut = join(root, 'event-store');
  transpile(join(repo, 'libs', 'events', 'src'), eventsOut, (code) => code);
  transpile(join(repo, 'libs', 'event-store', 'src'), storeOut, (code, outFile) => {
    let target = relative(dirname(outFile), join(eventsOut, 'index.js')).split(sep).join('/');
    if (!target.startsWith('.')) target = `./${target}`;
    return code.replace(/(["'])@mmreplay\/events\1/g, `"${target}"`);
  });
  return { entry: join(storeOut, 'index.js'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
