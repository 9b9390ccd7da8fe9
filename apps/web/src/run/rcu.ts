/** A thread's RCU state in a state view (libs/projections memory-view.ts RcuView). */
export interface RcuData {
  section: number;
  ending: boolean;
  gracePeriod: string[] | null;
}

/**
 * The RCU cell of a CPU: its read-side section (nested sections as a depth), a section whose end
 * waits for its accesses, and a grace period with the threads it still waits for.
 */
export function rcuWords(rcu: RcuData | undefined): string {
  if (rcu === undefined) return '-';
  const parts: string[] = [];
  if (rcu.section > 0) parts.push(rcu.section > 1 ? `in a read-side section (depth ${rcu.section})` : 'in a read-side section');
  if (rcu.ending) parts.push('last section ending (accesses outstanding)');
  if (rcu.gracePeriod !== null) parts.push(rcu.gracePeriod.length ? `grace period waits for ${rcu.gracePeriod.join(', ')}` : 'grace period may end');
  return parts.length ? parts.join('; ') : '-';
}
