import { ConfigError, configFromEnv } from './core/config.js';
import { banner, startServer } from './server.js';

/** `npm start`: the API on HOST:PORT (127.0.0.1:3000) over MMREPLAY_STORE (sqlite:./data/mmreplay.db). */
async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`mmreplay api: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const server = await startServer(config);
  server.app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  process.stdout.write(`${banner(server.url, config.store, server.web)}\n`);
  if (!config.adminToken) {
    process.stdout.write('  no MMREPLAY_ADMIN_TOKEN: create a team and its first token with `npm run admin -- create-team <id> --owner <name>`\n');
  }
}

await main();
