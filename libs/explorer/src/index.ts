export * from './explorer.js';
export * from './symmetry.js';
export * from './sampling.js';
