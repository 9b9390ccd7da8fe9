export * from './team-events.js';
export * from './errors.js';
export * from './tokens.js';
export * from './principal.js';
export * from './directory.js';
export * from './log-follower.js';
export * from './team.service.js';
export * from './activity.js';
