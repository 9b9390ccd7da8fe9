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
  /** each team's audit ids in the order they were requested, and each audit's place there */
  private readonly byTeam = new Map<string, string[]>();
  private readonly place = new Map<string, number>();
  /** the audits still running: all a sweep for orphans needs to look at */
  private readonly runningIds = new Set<string>();

  /** Folds one event of the audit's stream; false when it was folded already. */
  apply(auditId: string, e: Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'revision'>): boolean {
    const known = this.views.get(auditId);
    // Each event once: appended here and seen again by the follower, or the other way round.
    if (known && e.revision <= known.revision) return false;
    const view = evolveAudit(known, e);
    if (!view) return true;
    this.views.set(auditId, view);
    if (!known) {
      const ids = this.byTeam.get(view.team) ?? [];
      if (ids.length === 0) this.byTeam.set(view.team, ids);
      this.place.set(auditId, ids.push(auditId) - 1);
    }
    if (view.status === 'running') this.runningIds.add(auditId);
    else this.runningIds.delete(auditId);
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

  /** The views of the audits still running (not copies), in the order they were requested. */
  running(): AuditView[] {
    return [...this.runningIds].map((id) => this.views.get(id)!);
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

  /**
   * A team's audits, newest first, filtered; `after` is the id of the last audit of the previous
   * page. Walks the team's audits back from the cursor: a page costs its own length (plus the
   * audits the filter passes over), not the number of audits kept.
   */
  list(team: string, filter: AuditFilter = {}, page: { limit?: number; after?: string } = {}): { audits: AuditView[]; next: string | null } {
    const ids = this.byTeam.get(team) ?? [];
    let i = ids.length - 1;
    if (page.after !== undefined) {
      const at = this.place.get(page.after);
      if (at === undefined || ids[at] !== page.after) throw new InvalidAuditRequestError('after', 'is not a cursor of this listing');
      i = at - 1;
    }
    const limit = page.limit ?? 50;
    const matches = (v: AuditView) =>
      (filter.status === undefined || v.status === filter.status) &&
      (filter.scenario === undefined || v.scenario === filter.scenario) &&
      (filter.verdict === undefined || v.verdict === filter.verdict) &&
      (filter.variant === undefined || v.variant === filter.variant) &&
      (filter.author === undefined || v.author === filter.author);
    const found: AuditView[] = [];
    // one match beyond the page says whether there is a next page
    for (; i >= 0 && found.length <= limit; i--) {
      const v = this.views.get(ids[i])!;
      if (matches(v)) found.push(v);
    }
    const audits = found.slice(0, limit).map(copy);
    return { audits, next: found.length > limit ? audits[audits.length - 1].auditId : null };
  }
}

const copy = (v: AuditView): AuditView => structuredClone(v);
