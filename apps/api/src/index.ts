export * from './server.js';
export * from './core/config.js';
export { AppModule } from './app.module.js';
