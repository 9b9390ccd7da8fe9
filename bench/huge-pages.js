// The environment a benchmark's search runs in: glibc's malloc asked to put its large blocks on
// transparent huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, glibc 2.35 and later; the kernel's
// THP setting must be `madvise` or `always`), as `npm start` and the Docker image run the API.
// Node backs typed arrays with malloc, so the visited table, the stored tuples and the memos get
// 2 MB pages: on this machine a first write to a fresh 4 kB page costs about 11 us, 180 ms for the
// 64 MB visited table of seed N = 6, where huge pages take a few ms. MMREPLAY_HUGE_PAGES=0 measures
// without them. Both tools of a side-by-side run get the same (SPIN's pan allocates with malloc too).

/** process.env with the tunable set for a child (unless MMREPLAY_HUGE_PAGES=0, or the caller set GLIBC_TUNABLES). */
export function searchEnv(env = process.env) {
  if (env.MMREPLAY_HUGE_PAGES === '0' || env.GLIBC_TUNABLES !== undefined) return env;
  return { ...env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' };
}

/** How the children run, for a benchmark's header. */
export function hugePagesNote(env = process.env) {
  const e = searchEnv(env);
  return e.GLIBC_TUNABLES?.includes('glibc.malloc.hugetlb=1')
    ? 'huge pages: GLIBC_TUNABLES=glibc.malloc.hugetlb=1'
    : `huge pages: off (GLIBC_TUNABLES=${e.GLIBC_TUNABLES ?? ''})`;
}
