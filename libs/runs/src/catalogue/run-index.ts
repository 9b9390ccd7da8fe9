import Database from 'better-sqlite3';
import type { RecordedEvent } from '@mmreplay/events';
import { CATALOGUE_VERSION, foldCatalogue, type AuditEntry, type CatalogueRows, type RunEntry } from './catalogue.js';

/** What `GET /runs` filters on; every field optional. */
export interface RunIndexFilter {
  scenario?: string;
  variant?: string;
  status?: string;
  outcome?: string;
  strategy?: string;
  author?: string;
  modelHash?: string;
  counterexampleOf?: string;
}

/** The filters that are columns, and their column names. */
const COLUMNS: Readonly<Record<Exclude<keyof RunIndexFilter, 'counterexampleOf'>, string>> = {
  scenario: 'scenario',
  variant: 'variant',
  status: 'status',
  outcome: 'outcome',
  strategy: 'strategy',
  author: 'author',
  modelHash: 'model_hash',
};

/**
 * Switches a file to WAL. Switching a new file takes a lock SQLite does not wait for (no busy
 * handler): another process opening the same new file at that moment makes it fail with
 * SQLITE_BUSY at once (run-index.multiprocess.int.spec, about one run in six). Retried for up to
 * five seconds, ten milliseconds apart.
 */
function walMode(db: Database.Database): void {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * The run and audit catalogue as tables, and the only place it is kept: one row per run, indexed by
 * team and the order runs were started (`seq`), and by team and each filter column, so that a page
 * of a team's runs, newest first, filtered or not, is one index range scan whatever the number of
 * runs; one row per audit; the counterexample links. It sits next to the events (the embedded
 * store's SQLite file), in the API's cache file (EventStoreDB) or in memory, and is a projection:
 * `fold` applies events and moves `position` (how far into the log it has read) in the same
 * transaction, so the rows and the position never disagree, a crash loses nothing, and two processes
 * folding the same log into one file skip what the other already wrote.
 */
export class RunIndex implements CatalogueRows {
  private readonly db: Database.Database;
  private readonly upsertRow: Database.Statement;
  private readonly linkRow: Database.Statement;
  private readonly seqOf: Database.Statement;
  private readonly lists = new Map<string, Database.Statement>();
  private readonly runRow: Database.Statement;
  private readonly auditRow: Database.Statement;
  private readonly upsertAudit: Database.Statement;
  private readonly linksOfRun: Database.Statement;
  private readonly metaRow: Database.Statement;
  private readonly setMeta: Database.Statement;

  /**
   * `source` names the log the table projects (a store's connection string) when the file is a
   * cache apart from the store: a table of another log is emptied, never mixed with this one.
   */
  constructor(file = ':memory:', source?: string) {
    this.db = new Database(file);
    this.db.pragma('busy_timeout = 5000');
    if (file !== ':memory:') walMode(this.db);
    // Every transaction that writes here is IMMEDIATE: it takes the write lock before it reads. A
    // deferred one that reads and then writes fails at once with SQLITE_BUSY under WAL when another
    // process wrote in between (its snapshot is stale; busy_timeout does not apply), which two API
    // processes starting on one store, or folding the same log, did (instances.e2e.spec).
    this.db.transaction(() => this.db.exec('CREATE TABLE IF NOT EXISTS catalogue_meta (key TEXT PRIMARY KEY, value TEXT);')).immediate();
    this.metaRow = this.db.prepare('SELECT value FROM catalogue_meta WHERE key = ?').pluck();
    this.setMeta = this.db.prepare('INSERT INTO catalogue_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.db
      .transaction(() => {
        if (this.meta('version') !== String(CATALOGUE_VERSION)) {
          // tables of another shape (or of the in-memory catalogue of before): folded again from the log
          this.db.exec(
            "DROP TABLE IF EXISTS catalogue_runs; DROP TABLE IF EXISTS catalogue_audits; DROP TABLE IF EXISTS catalogue_links; DELETE FROM catalogue_meta WHERE key <> 'source';",
          );
          this.setMeta.run('version', String(CATALOGUE_VERSION));
        }
        this.db.exec(`
      CREATE TABLE IF NOT EXISTS catalogue_runs (
        run_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, team TEXT NOT NULL,
        scenario TEXT, variant TEXT, status TEXT, outcome TEXT, strategy TEXT, author TEXT, model_hash TEXT,
        entry TEXT NOT NULL);
      CREATE UNIQUE INDEX IF NOT EXISTS catalogue_runs_team_seq ON catalogue_runs (team, seq);
      ${Object.values(COLUMNS)
        .map((c) => `CREATE INDEX IF NOT EXISTS catalogue_runs_team_${c} ON catalogue_runs (team, ${c}, seq);`)
        .join('\n')}
      CREATE INDEX IF NOT EXISTS catalogue_runs_running ON catalogue_runs (seq) WHERE status = 'running';
      CREATE TABLE IF NOT EXISTS catalogue_audits (audit_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, team TEXT NOT NULL, entry TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS catalogue_audits_team_seq ON catalogue_audits (team, seq);
      CREATE TABLE IF NOT EXISTS catalogue_links (audit_id TEXT NOT NULL, run_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (audit_id, run_id));
      CREATE INDEX IF NOT EXISTS catalogue_links_run ON catalogue_links (run_id, seq);
    `);
      })
      .immediate();
    this.upsertRow = this.db.prepare(`
      INSERT INTO catalogue_runs (run_id, seq, team, scenario, variant, status, outcome, strategy, author, model_hash, entry)
      VALUES (@runId, @seq, @team, @scenario, @variant, @status, @outcome, @strategy, @author, @modelHash, @entry)
      ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, outcome = excluded.outcome, entry = excluded.entry`);
    this.linkRow = this.db.prepare('INSERT OR IGNORE INTO catalogue_links (audit_id, run_id, seq) VALUES (?, ?, ?)');
    this.runRow = this.db.prepare('SELECT entry FROM catalogue_runs WHERE run_id = ?').pluck();
    this.auditRow = this.db.prepare('SELECT entry FROM catalogue_audits WHERE audit_id = ?').pluck();
    this.upsertAudit = this.db.prepare(`
      INSERT INTO catalogue_audits (audit_id, seq, team, entry) VALUES (@auditId, @seq, @team, @entry)
      ON CONFLICT (audit_id) DO UPDATE SET entry = excluded.entry`);
    this.linksOfRun = this.db.prepare('SELECT audit_id FROM catalogue_links WHERE run_id = ? ORDER BY seq').pluck();
    this.seqOf = this.db.prepare('SELECT seq, team FROM catalogue_runs WHERE run_id = ?');
    this.nextSeq = ((this.db.prepare('SELECT MAX(seq) AS m FROM catalogue_runs').get() as { m: number | null }).m ?? 0) + 1;
    if (source !== undefined)
      this.db
        .transaction(() => {
          if (this.meta('source') === source) return;
          this.clear();
          this.setMeta.run('source', source);
        })
        .immediate();
  }

  private meta(key: string): string | null {
    return (this.metaRow.get(key) as string | null | undefined) ?? null;
  }

  /** the order of a run without a log position (tests): after every other; gaps are harmless */
  private nextSeq: number;

  /** How far into the log the table has read (null: nothing yet). */
  get position(): string | null {
    return this.meta('position');
  }

  get size(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM catalogue_runs').get() as { n: number }).n;
  }

  /**
   * Folds events of the log (in log order) and moves the position to the last, in one transaction.
   * Events at or before the table's position (another process or catch-up folded them) are
   * skipped. Returns the runs that changed. Each event costs a few keyed reads and writes: nothing
   * here grows with the number of runs but the B-tree depth.
   */
  fold(events: readonly RecordedEvent[]): Set<string> {
    const changed = new Set<string>();
    if (events.length === 0) return changed;
    this.db
      .transaction(() => {
        const at = this.meta('position');
        let position = at === null ? undefined : BigInt(at);
        for (const e of events) {
          if (position !== undefined && e.position <= position) continue;
          position = e.position;
          const { runId } = foldCatalogue(this, e);
          if (runId !== undefined) changed.add(runId);
        }
        if (position !== undefined) this.setMeta.run('position', String(position));
      })
      .immediate();
    return changed;
  }

  run(runId: string): RunEntry | undefined {
    const entry = this.runRow.get(runId) as string | undefined;
    return entry === undefined ? undefined : (JSON.parse(entry) as RunEntry);
  }

  putRun(run: RunEntry): void {
    this.upsertRun(run);
  }

  audit(auditId: string): AuditEntry | undefined {
    const entry = this.auditRow.get(auditId) as string | undefined;
    return entry === undefined ? undefined : (JSON.parse(entry) as AuditEntry);
  }

  putAudit(audit: AuditEntry, position: bigint): void {
    this.upsertAudit.run({ auditId: audit.auditId, seq: position, team: audit.team, entry: JSON.stringify(audit) });
  }

  addLink(auditId: string, runId: string, position: bigint): boolean {
    return this.linkRow.run(auditId, runId, position).changes > 0;
  }

  auditsLinking(runId: string): string[] {
    return this.linksOfRun.all(runId) as string[];
  }

  /** A team's runs (or every run), in the order they were started, without their `position`. */
  runs(team?: string): RunEntry[] {
    const sql = `SELECT entry FROM catalogue_runs ${team === undefined ? '' : 'WHERE team = ?'} ORDER BY ${team === undefined ? 'seq' : 'team, seq'}`;
    const rows = this.db
      .prepare(sql)
      .pluck()
      .all(...(team === undefined ? [] : [team])) as string[];
    return rows.map((entry) => {
      const { position: _position, ...run } = JSON.parse(entry) as RunEntry;
      return run;
    });
  }

  /** The runs not completed yet (few: found by a partial index), in the order they were started. */
  unfinished(): RunEntry[] {
    return (this.db.prepare("SELECT entry FROM catalogue_runs WHERE status = 'running' ORDER BY seq").pluck().all() as string[]).map(
      (e) => JSON.parse(e) as RunEntry,
    );
  }

  /** A team's audits (or every audit), in the order they were requested. */
  audits(team?: string): AuditEntry[] {
    const sql = `SELECT entry FROM catalogue_audits ${team === undefined ? '' : 'WHERE team = ?'} ORDER BY ${team === undefined ? 'seq' : 'team, seq'}`;
    return (
      this.db
        .prepare(sql)
        .pluck()
        .all(...(team === undefined ? [] : [team])) as string[]
    ).map((e) => JSON.parse(e) as AuditEntry);
  }

  /**
   * Writes run rows as they are (new or changed) and, unless `position` is undefined, the position
   * they bring the table to, in one transaction (benchmarks and tests fill the table this way).
   */
  write(runs: Iterable<RunEntry>, position: string | null | undefined): void {
    this.db
      .transaction(() => {
        for (const r of runs) {
          this.upsertRun(r);
          for (const a of r.counterexampleOf) this.linkRow.run(a, r.runId, 0);
        }
        if (position !== undefined) this.setMeta.run('position', position);
      })
      .immediate();
  }

  private upsertRun(r: RunEntry): void {
    this.upsertRow.run({
      runId: r.runId,
      // the RunStarted's log position: the same order (and the same rows) in every instance
      seq: r.position !== undefined ? Number(r.position) : this.nextSeq++,
      team: r.team,
      scenario: r.scenario,
      variant: r.variant ?? 'kernel',
      status: r.status,
      outcome: r.outcome,
      strategy: r.strategy,
      author: r.author,
      modelHash: r.modelHash,
      entry: JSON.stringify(r),
    });
  }

  /** Empties the tables (before a rebuild); the log they project and their version stay named. */
  clear(): void {
    this.db
      .transaction(() =>
        this.db.exec(
          "DELETE FROM catalogue_runs; DELETE FROM catalogue_audits; DELETE FROM catalogue_links; DELETE FROM catalogue_meta WHERE key NOT IN ('source', 'version');",
        ),
      )
      .immediate();
    this.nextSeq = 1;
  }

  /**
   * A page of a team's runs, newest first: those after the run `after` (a cursor: the last run of
   * the previous page), matching every filter. `undefined` when the cursor is not a run of the team.
   */
  list(team: string, filter: RunIndexFilter, page: { limit: number; after?: string }): { runs: RunEntry[]; next: string | null } | undefined {
    const where = ['team = @team'];
    const params: Record<string, unknown> = { team, limit: page.limit + 1 };
    for (const [key, column] of Object.entries(COLUMNS)) {
      const v = filter[key as keyof typeof COLUMNS];
      if (v === undefined) continue;
      where.push(`${column} = @${key}`);
      params[key] = v;
    }
    if (filter.counterexampleOf !== undefined) {
      where.push('run_id IN (SELECT run_id FROM catalogue_links WHERE audit_id = @counterexampleOf)');
      params.counterexampleOf = filter.counterexampleOf;
    }
    if (page.after !== undefined) {
      const cursor = this.seqOf.get(page.after) as { seq: number; team: string } | undefined;
      if (!cursor || cursor.team !== team) return undefined;
      where.push('seq < @after');
      params.after = cursor.seq;
    }
    const sql = `SELECT run_id, entry FROM catalogue_runs WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT @limit`;
    let statement = this.lists.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.lists.set(sql, statement);
    }
    const rows = statement.all(params) as { run_id: string; entry: string }[];
    const more = rows.length > page.limit;
    const runs = rows.slice(0, page.limit).map((r) => {
      const { position: _position, ...run } = JSON.parse(r.entry) as RunEntry;
      return run;
    });
    return { runs, next: more ? runs[runs.length - 1].runId : null };
  }

  close(): void {
    this.db.close();
  }
}
