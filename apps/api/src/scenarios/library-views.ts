import { parseScenarioDocument, scenarios, type Scenario } from '@mmreplay/model';
import { describeScenarioObject, scenarioSummary } from './scenario-description.js';
import { ApiError } from '../http/problem.js';
import type { ScenarioVersion } from './scenario-library.js';

// What the API shows of the team library's versions, next to the built-ins.

// A published version's scenario, by content hash: versions are immutable, so parsing once is enough.
const parsed = new Map<string, Scenario>();

function scenarioOf(v: ScenarioVersion): Scenario {
  const known = parsed.get(v.hash);
  if (known) return known;
  const r = parseScenarioDocument(v.document);
  // Published documents passed the same loader; one that no longer loads is a server fault.
  if (!r.ok) throw new Error(`published scenario ${v.name}@${v.version} no longer loads: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  if (parsed.size >= 256) parsed.clear();
  parsed.set(v.hash, r.scenario);
  return r.scenario;
}

const versionInfo = (v: ScenarioVersion) => ({
  version: v.version,
  hash: v.hash,
  ref: `${v.name}@${v.version}`,
  publishedBy: v.publishedBy,
  publishedAt: v.publishedAt,
});

/** The built-ins then the team's latest versions, `limit` after the name `after`. */
export function scenarioPage(isBuiltIn: (name: string) => boolean, latest: readonly ScenarioVersion[], limit: number, after?: string) {
  const names = [
    ...scenarios()
      .filter((s) => isBuiltIn(s.name))
      .map((s) => ({ name: s.name, v: undefined as ScenarioVersion | undefined })),
    ...latest.map((v) => ({ name: v.name, v })),
  ];
  const at = after === undefined ? -1 : names.findIndex((n) => n.name === after);
  if (after !== undefined && at < 0) throw ApiError.invalid('after', `'${after}' is not a scenario of this list: pass the \`next\` of the previous page`);
  const from = at + 1;
  const slice = names.slice(from, from + limit);
  const nodes = slice.map(({ name, v }) =>
    v
      ? { source: 'team', ...scenarioSummary(scenarioOf(v)), ...versionInfo(v) }
      : { source: 'built-in', ...scenarioSummary(scenarios().find((s) => s.name === name)!) },
  );
  const next = from + limit < names.length && slice.length ? slice[slice.length - 1].name : null;
  return { nodes, next };
}

/** A published version with its paths, like a built-in's description, and its document. */
export function describePublished(v: ScenarioVersion, variant?: string) {
  return { source: 'team', ...describeScenarioObject(scenarioOf(v), variant), ...versionInfo(v), document: v.document };
}

export const publishedSummary = (v: ScenarioVersion) => ({ source: 'team', ...scenarioSummary(scenarioOf(v)), ...versionInfo(v) });
