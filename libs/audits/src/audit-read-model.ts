import type { RecordedEvent } from '@mmreplay/events';
import { compareViews, evolveAudit, type AuditView, type ComparisonView } from './audit-view.js';
import { InvalidAuditRequestError, UnknownAuditError, UnknownComparisonError } from './errors.js';

/** The filters of an audit listing. */
export interface AuditFilter {
  status?: string;
  scenario?: string;
  verdict?: string;
  variant?: string;
  author?: string;
}

/**
 * The audits' views, folded from their streams (by the shared follower, and by this process's
 * own appends; each event once), and scoped to the caller's team: another team's audit is unknown.
 */
export class AuditReadModel {
  private readonly views = new Map<string, AuditView>();
  private readonly comparisons = new Map<string, { baseline?: string; fix?: string }>();

  /** Folds one event of the audit's stream; false when it was folded already. */
  apply(auditId: string, e: Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'revision'>): boolean {
    const known = this.views.get(auditId);
    // Each event once: appended here and seen again by the follower, or the other way round.
    if (known && e.revision <= known.revision) return false;
    const view = evolveAudit(known, e);
    if (!view) return true;
    this.views.set(auditId, view);
    if (view.comparison) this.link(view.comparison, auditId);
    return true;
  }

  /** Records that the audit is one side of a comparison. */
  link(comparison: NonNullable<AuditView['comparison']>, auditId: string): void {
    this.comparisons.set(comparison.id, { ...this.comparisons.get(comparison.id), [comparison.role]: auditId });
  }

  /** The view as folded (not a copy: for the service's own reads). */
  view(auditId: string): AuditView | undefined {
    return this.views.get(auditId);
  }

  /** Every view, in the order the audits were requested. */
  all(): AuditView[] {
    return [...this.views.values()];
  }

  get(auditId: string, team: string): AuditView {
    const v = this.views.get(auditId);
    if (!v || v.team !== team) throw new UnknownAuditError(auditId);
    return copy(v);
  }

  comparison(comparisonId: string, team: string): ComparisonView {
    const c = this.comparisons.get(comparisonId);
    const b = c?.baseline ? this.views.get(c.baseline) : undefined;
    const f = c?.fix ? this.views.get(c.fix) : undefined;
    if (!b || !f || b.team !== team) throw new UnknownComparisonError(comparisonId);
    return compareViews(comparisonId, copy(b), copy(f));
  }

  /** A team's audits, newest first, filtered; `after` is the id of the last audit of the previous page. */
  list(team: string, filter: AuditFilter = {}, page: { limit?: number; after?: string } = {}): { audits: AuditView[]; next: string | null } {
    const all = [...this.views.values()].filter((v) => v.team === team).reverse();
    let start = 0;
    if (page.after !== undefined) {
      const i = all.findIndex((v) => v.auditId === page.after);
      if (i < 0) throw new InvalidAuditRequestError('after', 'is not a cursor of this listing');
      start = i + 1;
    }
    const limit = page.limit ?? 50;
    const matches = (v: AuditView) =>
      (filter.status === undefined || v.status === filter.status) &&
      (filter.scenario === undefined || v.scenario === filter.scenario) &&
      (filter.verdict === undefined || v.verdict === filter.verdict) &&
      (filter.variant === undefined || v.variant === filter.variant) &&
      (filter.author === undefined || v.author === filter.author);
    const out: AuditView[] = [];
    let i = start;
    for (; i < all.length && out.length < limit; i++) if (matches(all[i])) out.push(copy(all[i]));
    const more = out.length === limit && all.slice(i).some(matches);
    return { audits: out, next: more ? out[out.length - 1].auditId : null };
  }
}

const copy = (v: AuditView): AuditView => structuredClone(v);
