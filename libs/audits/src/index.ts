export * from './errors.js';
export * from './audit-view.js';
export * from './audit.service.js';
export * from './counterexample-runs.js';
