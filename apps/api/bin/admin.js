#!/usr/bin/env node
import { admin } from '../dist/admin.js';

process.exitCode = await admin(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
