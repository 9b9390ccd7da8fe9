export * from './envelope.js';
export * from './streams.js';
export * from './step-events.js';
export * from './run-events.js';
export * from './audit-events.js';
export * from './upcasting.js';
export * from './catalogue.js';
export * from './scenario-events.js';
