// Preloaded into the API by soak.mjs (`node --expose-gc --require memory-probe.cjs`): every 30
// seconds it collects garbage and appends the process's memory to a file, so the soak can tell
// live heap (what a leak would grow) from RSS (which also holds SQLite's page cache, freed heap
// pages the allocator keeps, and code).
const { appendFileSync } = require('node:fs');
const file = process.env.MMREPLAY_MEMORY_LOG;
if (file) {
  const every = Number(process.env.MMREPLAY_MEMORY_LOG_MS ?? 30000);
  setInterval(() => {
    if (typeof global.gc === 'function') global.gc();
    const m = process.memoryUsage();
    appendFileSync(
      file,
      `${JSON.stringify({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`,
    );
  }, every).unref();
}
