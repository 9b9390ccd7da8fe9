import { AuditLimitError, AuditsShuttingDownError } from './errors.js';

/** Seconds a refused request is told to wait before retrying. */
export const AUDIT_RETRY_AFTER_SECONDS = 5;

/**
 * The audits each team may run at once. A request takes its slots before its first append and
 * gives them back once its jobs run (the jobs then count themselves), so two requests cannot both
 * take the last slot. Once closed (shutdown), no slot is given.
 */
export class TeamSlots {
  /** slots taken by requests between the capacity check and their job's start */
  private readonly reserved = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly limit: number,
    /** the audits a team runs now */
    private readonly running: (team: string) => number,
  ) {}

  /** Refuses every later reservation: the server is shutting down. */
  close(): void {
    this.closed = true;
  }

  /** Takes `wanted` of the team's slots, or throws; the returned function gives back the reservation. */
  reserve(team: string, wanted: number): () => void {
    if (this.closed) throw new AuditsShuttingDownError(AUDIT_RETRY_AFTER_SECONDS);
    // Checked and taken synchronously: two requests cannot both take the last slot.
    if (this.running(team) + (this.reserved.get(team) ?? 0) + wanted > this.limit) throw new AuditLimitError(this.limit, AUDIT_RETRY_AFTER_SECONDS);
    this.reserved.set(team, (this.reserved.get(team) ?? 0) + wanted);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reserved.set(team, (this.reserved.get(team) ?? 0) - wanted);
    };
  }
}
