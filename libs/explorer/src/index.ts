export * from './explorer.js';
export * from './symmetry.js';
