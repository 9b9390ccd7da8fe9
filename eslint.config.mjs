import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// The layering of docs/architecture.md, enforced: a lower layer never imports a higher one,
// and the core libraries (scope:core) import neither NestJS nor any I/O module.
const layers = {
  'layer:model': ['layer:model'],
  'layer:engine': ['layer:model'],
  'layer:explorer': ['layer:model', 'layer:engine'],
  'layer:events': ['layer:model', 'layer:engine'],
  'layer:store': ['layer:model', 'layer:events'],
  'layer:projections': ['layer:model', 'layer:engine', 'layer:events'],
  'layer:application': ['layer:model', 'layer:engine', 'layer:explorer', 'layer:events', 'layer:store', 'layer:projections'],
  // the API's wire types (generated from its OpenAPI document): types only, for its clients
  'layer:contracts': [],
  // the web app runs in a browser and talks to the API over HTTP only: it imports no workspace library but the wire types
  'layer:web': ['layer:contracts'],
  'layer:app': ['layer:contracts', 'layer:model', 'layer:engine', 'layer:explorer', 'layer:events', 'layer:store', 'layer:projections', 'layer:application'],
};
const io = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'child_process',
  'node:child_process',
  'better-sqlite3',
  'fastify',
  'mercurius',
];
const ioPatterns = ['@nestjs/*', '@eventstore/*'];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs', '**/vitest.config.ts', 'libs/contracts/src/api-schema.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: [
            ...Object.entries(layers).map(([sourceTag, allowed]) => ({
              sourceTag,
              onlyDependOnLibsWithTags: [sourceTag, ...allowed],
            })),
            { sourceTag: 'scope:core', bannedExternalImports: [...io, ...ioPatterns] },
          ],
        },
      ],
    },
  },
  {
    // The core libraries are plain TypeScript. Node built-ins escape bannedExternalImports, so
    // they are named here too. Tests may do I/O.
    files: ['libs/{model,engine,explorer,litmus,events,projections}/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: io, patterns: ioPatterns }],
    },
  },
];
