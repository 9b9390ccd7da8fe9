import leven from 'leven';

/**
 * The known names closest to a mistyped one ("did you mean"): edit distance at most 1 for names
 * of up to 3 characters, 2 up to 8, else 3 (case ignored), or a known name that the typed one is a prefix
 * of. Best first; none when nothing is close.
 */
export function closest(typed: string, known: readonly string[], max = 3): string[] {
  const t = typed.toLowerCase();
  const scored = known
    .map((k) => {
      const kl = k.toLowerCase();
      // A swap of two letters (`aduit`) is one typo, not the two edits Levenshtein counts.
      const anagram = t.length === kl.length && [...t].sort().join('') === [...kl].sort().join('');
      const d = anagram ? Math.min(1, leven(t, kl)) : leven(t, kl);
      const longer = Math.max(t.length, kl.length);
      const limit = longer <= 3 ? 1 : longer <= 8 ? 2 : 3;
      const near = d <= limit || (t.length >= 2 && kl.startsWith(t));
      return { k, d: kl.startsWith(t) ? Math.min(d, 1) : d, near };
    })
    .filter((x) => x.near && x.k !== typed);
  scored.sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  // Only the nearest: `aduit` suggests `audit`, not also `admin`.
  return scored
    .filter((x) => x.d === scored[0].d)
    .slice(0, max)
    .map((x) => x.k);
}

/** `; did you mean 'x'?` (or `'x' or 'y'`), or nothing when no known name is close. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const c = closest(typed, known);
  if (c.length === 0) return '';
  return `; did you mean ${c.map((x) => `'${x}'`).join(' or ')}?`;
}
