/** One stream per run: `RunStarted`, then the step events, then `RunCompleted`. */
export const RUN_STREAM_PREFIX = 'run-';
/** One stream per audit: requested, progress, counterexamples, completed. */
export const AUDIT_STREAM_PREFIX = 'audit-';

export function runStream(runId: string): string {
  return RUN_STREAM_PREFIX + runId;
}

export function auditStream(auditId: string): string {
  return AUDIT_STREAM_PREFIX + auditId;
}

/** The run id of a `run-<id>` stream name, or undefined for any other stream. */
export function runIdOf(stream: string): string | undefined {
  return stream.startsWith(RUN_STREAM_PREFIX) && stream.length > RUN_STREAM_PREFIX.length ? stream.slice(RUN_STREAM_PREFIX.length) : undefined;
}

/** The audit id of an `audit-<id>` stream name, or undefined for any other stream. */
export function auditIdOf(stream: string): string | undefined {
  return stream.startsWith(AUDIT_STREAM_PREFIX) && stream.length > AUDIT_STREAM_PREFIX.length ? stream.slice(AUDIT_STREAM_PREFIX.length) : undefined;
}
