// Child processes of the integration tests run the real libraries, not copies of them.
// Node 20 cannot run TypeScript, and tests run before any build, so this transpiles the sources
// of the @mmreplay libraries a child needs (swc, type stripping only) into a scratch directory
// under node_modules/.cache, where better-sqlite3 and rxjs resolve as usual, and points each
// `@mmreplay/<lib>` import at the transpiled sibling.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFileSync } from '@swc/core';

const repo = fileURLToPath(new URL('../', import.meta.url));

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

export interface ChildLibraries {
  /** the transpiled index.js of each library, by its directory name under libs/ */
  entries: Record<string, string>;
  cleanup: () => void;
}

/**
 * Transpiles the named libraries (directory names under libs/, e.g. `['model', 'engine',
 * 'events']`) for child processes. Every `@mmreplay/<lib>` import must name one of them.
 */
export function buildChildLibraries(libs: readonly string[], tag = 'test'): ChildLibraries {
  const root = join(repo, 'node_modules', '.cache', `mmreplay-${tag}-${process.pid}-${Date.now()}`);
  const entries = Object.fromEntries(libs.map((lib) => [lib, join(root, lib, 'index.js')]));
  for (const lib of libs) {
    transpile(join(repo, 'libs', lib, 'src'), join(root, lib), (code, outFile) =>
      code.replace(/(["'])@mmreplay\/([a-z-]+)\1/g, (specifier, _quote, name: string) => {
        const entry = entries[name];
        if (!entry) throw new Error(`${outFile} imports ${specifier}: add '${name}' to the libraries built for the child`);
        const target = relative(dirname(outFile), entry).split(sep).join('/');
        return `"${target.startsWith('.') ? target : `./${target}`}"`;
      }),
    );
  }
  return { entries, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Builds model, events and event-store for child processes; returns the path of event-store's index.js and a cleanup. */
export function buildChildLibrary(): { entry: string; cleanup: () => void } {
  const built = buildChildLibraries(['model', 'events', 'event-store'], 'event-store-test');
  return { entry: built.entries['event-store'], cleanup: built.cleanup };
}
