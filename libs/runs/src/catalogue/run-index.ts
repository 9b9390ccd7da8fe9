import Database from 'better-sqlite3';
import type { RunEntry } from './catalogue.js';

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
 * The run catalogue as a table: one row per run, indexed by team and the order runs were started
 * (`seq`), and by team and each filter column, so that a page of a team's runs, newest first,
 * filtered or not, is one index range scan whatever the number of runs. It sits next to the events
 * (the embedded store's SQLite file), in the API's cache file (EventStoreDB) or in memory, and is a projection: `position` says how far
 * into the log it has read, and it is rebuilt from the catalogue when it does not match.
 */
export class RunIndex {
  private readonly db: Database.Database;
  private readonly upsertRow: Database.Statement;
  private readonly linkRow: Database.Statement;
  private readonly seqOf: Database.Statement;
  private readonly lists = new Map<string, Database.Statement>();

  /**
   * `source` names the log the table projects (a store's connection string) when the file is a
   * cache apart from the store: a table of another log is emptied, never mixed with this one.
   */
  constructor(file = ':memory:', source?: string) {
    this.db = new Database(file);
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS catalogue_runs (
        run_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, team TEXT NOT NULL,
        scenario TEXT, variant TEXT, status TEXT, outcome TEXT, strategy TEXT, author TEXT, model_hash TEXT,
        entry TEXT NOT NULL);
      CREATE UNIQUE INDEX IF NOT EXISTS catalogue_runs_team_seq ON catalogue_runs (team, seq);
      ${Object.values(COLUMNS)
        .map((c) => `CREATE INDEX IF NOT EXISTS catalogue_runs_team_${c} ON catalogue_runs (team, ${c}, seq);`)
        .join('\n')}
      CREATE TABLE IF NOT EXISTS catalogue_links (audit_id TEXT NOT NULL, run_id TEXT NOT NULL, PRIMARY KEY (audit_id, run_id));
      CREATE TABLE IF NOT EXISTS catalogue_meta (key TEXT PRIMARY KEY, value TEXT);
    `);
    this.upsertRow = this.db.prepare(`
      INSERT INTO catalogue_runs (run_id, seq, team, scenario, variant, status, outcome, strategy, author, model_hash, entry)
      VALUES (@runId, @seq, @team, @scenario, @variant, @status, @outcome, @strategy, @author, @modelHash, @entry)
      ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, outcome = excluded.outcome, entry = excluded.entry`);
    this.linkRow = this.db.prepare('INSERT OR IGNORE INTO catalogue_links (audit_id, run_id) VALUES (?, ?)');
    this.seqOf = this.db.prepare('SELECT seq, team FROM catalogue_runs WHERE run_id = ?');
    this.nextSeq = ((this.db.prepare('SELECT MAX(seq) AS m FROM catalogue_runs').get() as { m: number | null }).m ?? 0) + 1;
    if (source !== undefined && this.meta('source') !== source) {
      this.clear();
      this.db.prepare("INSERT INTO catalogue_meta (key, value) VALUES ('source', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(source);
    }
  }

  private meta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM catalogue_meta WHERE key = ?').get(key) as { value: string | null } | undefined;
    return row?.value ?? null;
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

  /** Writes runs (new or changed) and the position they bring the table to, in one transaction. */
  write(runs: Iterable<RunEntry>, position: string | null): void {
    this.db.transaction(() => {
      for (const r of runs) {
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
        for (const a of r.counterexampleOf) this.linkRow.run(a, r.runId);
      }
      this.db.prepare("INSERT INTO catalogue_meta (key, value) VALUES ('position', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(position);
    })();
  }

  /** Empties the table (before a rebuild); the log it projects stays named. */
  clear(): void {
    this.db.exec("DELETE FROM catalogue_runs; DELETE FROM catalogue_links; DELETE FROM catalogue_meta WHERE key <> 'source';");
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
