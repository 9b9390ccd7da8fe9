export * from './explorer.js';
export * from './symmetry.js';
export * from './sampling.js';
export * from './partial-order.js';
export * from './audit.js';
export * from './audit-worker.js';
export * from './catalogue.js';
