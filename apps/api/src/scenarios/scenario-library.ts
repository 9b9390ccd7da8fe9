import { Inject, Injectable } from '@nestjs/common';
import { StreamNotFoundError, type EventStore } from '@mmreplay/event-store';
import {
  scenarioLibraryStream,
  scenarioPublishedEvent,
  SCENARIO_PUBLISHED,
  type JsonObject,
  type RecordedEvent,
  type ScenarioPublished,
} from '@mmreplay/events';
import { parseScenarioDocument, scenarios, UnknownScenarioError, type DocumentProblem } from '@mmreplay/model';
import { EVENT_STORE } from '../core/tokens.js';
import { ApiError, RequestValidationError } from '../http/problem.js';

/** A published version: immutable, addressed by the content hash of its document. */
export interface ScenarioVersion {
  name: string;
  /** the first 12 hex digits of `hash`: `name@version` names this version */
  version: string;
  hash: string;
  title: string | null;
  publishedBy: string;
  publishedAt: string;
  document: JsonObject;
}

/** What a run, audit or comparison names: a built-in, a published version, or an inline document. */
export interface ScenarioChoice {
  scenario?: string;
  document?: unknown;
}

export const VERSION_DIGITS = 12;
const MIN_VERSION_DIGITS = 8;

/** The document's problems as field issues (a 400 naming every path), under `prefix` when the document is a field. */
export function documentIssues(problems: readonly DocumentProblem[], prefix = ''): RequestValidationError {
  return new RequestValidationError(
    problems.map((p) => ({ field: prefix ? (p.path === '(root)' ? prefix : `${prefix}.${p.path}`) : p.path, message: p.message })),
  );
}

/**
 * The team scenario library: `ScenarioPublished` events in one `scenarios-<team>` stream per team.
 * A team sees only its own stream (another team's names are not found), and the built-ins.
 */
@Injectable()
export class ScenarioLibrary {
  // The built-in catalogue as this server started with it: a name registered later in the
  // process (the CLI loading a file, in tests that run both) is not a built-in of the server.
  private readonly builtIns = new Set(scenarios().map((s) => s.name));

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  isBuiltIn(name: string): boolean {
    return this.builtIns.has(name);
  }

  /** Every version the team published, oldest first, and the stream's revision. */
  private async read(team: string): Promise<{ versions: ScenarioVersion[]; revision: bigint | 'no-stream' }> {
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(scenarioLibraryStream(team));
    } catch (e) {
      if (e instanceof StreamNotFoundError) return { versions: [], revision: 'no-stream' };
      throw e;
    }
    const versions = events
      .filter((e) => e.type === SCENARIO_PUBLISHED)
      .map((e) => {
        const d = e.data as ScenarioPublished;
        return {
          name: d.name,
          version: d.hash.slice(0, VERSION_DIGITS),
          hash: d.hash,
          title: d.title,
          publishedBy: d.actor,
          publishedAt: String(e.metadata.recordedAt ?? ''),
          document: d.document,
        };
      });
    return { versions, revision: events.length ? events[events.length - 1].revision : 'no-stream' };
  }

  /**
   * Checks a document with the loader and publishes it as the latest version of its name. The
   * same document again is not a new version: the existing one is answered (`created: false`).
   */
  async publish(team: string, actor: string, body: unknown): Promise<{ version: ScenarioVersion; created: boolean; warnings: readonly DocumentProblem[] }> {
    if (body === undefined || body === null || body === '') throw ApiError.invalid('(body)', 'send a scenario document as JSON or YAML');
    const r = parseScenarioDocument(body);
    if (!r.ok) throw documentIssues(r.problems);
    const name = r.document.name;
    if (this.isBuiltIn(name))
      throw ApiError.invalid(
        'name',
        `'${name}' is a built-in scenario: give the document a name of its own (scenarios export gives a built-in as a document to start from)`,
      );
    const { versions, revision } = await this.read(team);
    const same = versions.find((v) => v.name === name && v.hash === r.hash);
    if (same) return { version: same, created: false, warnings: r.warnings };
    const document = JSON.parse(JSON.stringify(r.document)) as JsonObject;
    const title = typeof document.title === 'string' ? document.title : null;
    await this.store.appendToStream(
      scenarioLibraryStream(team),
      [
        scenarioPublishedEvent(
          { name, hash: r.hash, document, title, actor, team },
          { actor, team, action: 'scenario.published', target: `scenario:${name}@${r.hash.slice(0, VERSION_DIGITS)}` },
        ),
      ],
      {
        expectedRevision: revision,
      },
    );
    const published = (await this.read(team)).versions.find((v) => v.name === name && v.hash === r.hash)!;
    return { version: published, created: true, warnings: r.warnings };
  }

  /** The latest version of each name, by name. */
  async latest(team: string): Promise<ScenarioVersion[]> {
    const byName = new Map<string, ScenarioVersion>();
    for (const v of (await this.read(team)).versions) byName.set(v.name, v);
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The versions of one name, newest first; 404 when the team published none. */
  async versions(team: string, name: string): Promise<ScenarioVersion[]> {
    const all = (await this.read(team)).versions.filter((v) => v.name === name).reverse();
    if (!all.length) throw new ApiError('not-found', `your team has published no scenario '${name}'`);
    return all;
  }

  /** `name` (the latest) or `name@version` (a hash prefix of at least 8 hex digits). */
  async find(team: string, ref: string): Promise<ScenarioVersion> {
    const at = ref.lastIndexOf('@');
    const name = at < 0 ? ref : ref.slice(0, at);
    const versions = await this.versions(team, name);
    if (at < 0) return versions[0];
    const wanted = ref.slice(at + 1).toLowerCase();
    if (!new RegExp(`^[0-9a-f]{${MIN_VERSION_DIGITS},64}$`).test(wanted))
      throw ApiError.invalid('scenario', `'${wanted}' is not a version: give ${MIN_VERSION_DIGITS} to 64 hex digits of the content hash`);
    const v = versions.find((x) => x.hash.startsWith(wanted));
    if (!v) throw new ApiError('not-found', `scenario '${name}' has no version ${wanted} (versions: ${versions.map((x) => x.version).join(', ')})`);
    return v;
  }

  /**
   * What a run, audit or comparison request names, made concrete: a built-in stays a name; a
   * published `name` / `name@version` and an inline document become the document itself, which
   * the request then carries (into the worker threads and the recorded events).
   */
  async resolve<T extends ScenarioChoice>(team: string, req: T): Promise<T & { scenario: string }> {
    if (req.document !== undefined && req.document !== null) {
      const r = parseScenarioDocument(req.document);
      if (!r.ok) throw documentIssues(r.problems, 'document');
      if (req.scenario !== undefined && req.scenario !== r.document.name)
        throw ApiError.invalid('scenario', `the document is named '${r.document.name}', not '${req.scenario}' (leave scenario out with a document)`);
      return { ...req, scenario: r.document.name, document: r.document };
    }
    if (typeof req.scenario !== 'string' || !req.scenario)
      throw ApiError.invalid('scenario', 'name a scenario (a built-in, a published name or name@version) or send a document');
    if (this.isBuiltIn(req.scenario)) return { ...req, scenario: req.scenario };
    let v: ScenarioVersion;
    try {
      v = await this.find(team, req.scenario);
    } catch (e) {
      // An unknown name is a field of the request (400), as it was before the library existed.
      if (e instanceof ApiError && e.slug === 'not-found' && !req.scenario.includes('@')) throw new UnknownScenarioError(req.scenario);
      throw e;
    }
    return { ...req, scenario: v.name, document: v.document };
  }
}
