#!/usr/bin/env node
import { main } from '../dist/index.js';

// A reader that goes away (`mmreplay events RUN | head`) ends the command quietly, like other Unix tools.
const quietOnEpipe = (e) => {
  if (e && e.code === 'EPIPE') process.exit(0);
  throw e;
};
process.stdout.on('error', quietOnEpipe);
process.stderr.on('error', quietOnEpipe);

process.exitCode = await main(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
