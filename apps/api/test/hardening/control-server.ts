import { spawn } from 'node:child_process';

// A child process that answers every HTTP request with 200 and does nothing else: probed beside the
// API server, its latency is what the scheduler alone costs at that moment (hostile.e2e.spec.ts).

const SERVER = `
const server = require('node:http').createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

export interface ControlServer {
  url: string;
  kill(): Promise<void>;
}

export async function startControlServer(): Promise<ControlServer> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`control server did not start: ${out}`)), 10_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`control server exited (${code})`)));
  });
  return {
    url,
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * The worst /health/ready latency allowed during an attack: `maxMs` beyond the scheduling noise,
 * taken as the larger of the idle server's worst and the control server's worst in the same window.
 */
export function healthBound(maxMs: number, idleWorst: number, controlWorst: number): number {
  return maxMs + Math.max(idleWorst, controlWorst);
}
