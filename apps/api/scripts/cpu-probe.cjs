// Preloaded into the API by soak.mjs when it is given `--profile-at` (`node --require cpu-probe.cjs`):
// each SIGUSR2 records one CPU profile of the API through its own inspector session, a window of
// MMREPLAY_CPU_PROFILE_SECONDS (default 20), written as <MMREPLAY_CPU_PROFILE_DIR>/cpu-<n>.cpuprofile
// (n = 1, 2, ...; open in Chrome DevTools, or summarise with profile-summary.mjs). The soak sends the
// signals at the seconds of its own clock it is asked to, so an early window can be compared with a
// late one: what grows with the data shows as a growing share.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const dir = process.env.MMREPLAY_CPU_PROFILE_DIR;
const seconds = Number(process.env.MMREPLAY_CPU_PROFILE_SECONDS ?? 20);
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  let n = 0;
  process.on('SIGUSR2', () => {
    const file = join(dir, `cpu-${++n}.cpuprofile`);
    session.post('Profiler.start', () => {
      setTimeout(() => {
        session.post('Profiler.stop', (err, result) => {
          if (!err) writeFileSync(file, JSON.stringify(result.profile));
        });
      }, seconds * 1000).unref();
    });
  });
}
