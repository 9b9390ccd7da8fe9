import { useState } from 'react';
import { stringify } from 'yaml';
import { api, unwrap } from '../api/client';
import { ErrorNote } from '../ui/ErrorNote';
import type { ReadDocument, ScenarioOutline } from './scenario-document';
import type { Issue } from './variant';
// The tutorial's document (docs/scenarios.md), bundled as text: the editor's first text. It lives
// with the examples, outside every project, so that the docs, the CLI's tests and the page share one file.
// eslint-disable-next-line @nx/enforce-module-boundaries
import tutorial from '../../../../examples/scenarios/tutorial-race.yaml?raw';

/** A scenario of `GET /scenarios`: a built-in, or the latest version of one the team published. */
export type ListedScenario = ScenarioOutline & { source: 'built-in' | 'team'; ref?: string; version?: string; publishedBy?: string };

/** Where the scenario of an audit comes from: the request's `scenario` (a name, `name@version`) or its `document`. */
export type ScenarioChoice = { source: 'built-in'; name: string } | { source: 'team'; ref: string } | { source: 'document'; text: string };

interface Props {
  listed: readonly ListedScenario[];
  choice: ScenarioChoice;
  onChange: (c: ScenarioChoice) => void;
  /** the typed document as the page reads it */
  read: ReadDocument;
  /** the API's issues of the last start, under `document` */
  serverIssues: readonly Issue[];
}

const SOURCES = [
  { source: 'built-in', label: 'built-in' },
  { source: 'team', label: "the team's library" },
  { source: 'document', label: 'a document (YAML or JSON)' },
] as const;

/** Chooses the scenario: a built-in, a version the team published, or a document typed, pasted or copied here. */
export function ScenarioPicker({ listed, choice, onChange, read, serverIssues }: Props) {
  const builtIns = listed.filter((s) => s.source === 'built-in');
  const team = listed.filter((s) => s.source === 'team');
  const [copyError, setCopyError] = useState<unknown>(null);
  // the document the editor keeps while another source is chosen, so switching back loses nothing
  const [kept, setKept] = useState<string | null>(null);

  function choose(source: ScenarioChoice['source']) {
    if (choice.source === 'document') setKept(choice.text);
    if (source === 'built-in') onChange({ source, name: builtIns.find((s) => s.name === 'seed')?.name ?? builtIns[0]?.name ?? '' });
    else if (source === 'team') onChange({ source, ref: team[0]?.ref ?? '' });
    else onChange({ source, text: kept ?? tutorial });
  }

  /** The chosen built-in's or published version's document, renamed, in the editor. */
  async function copy() {
    setCopyError(null);
    const name = choice.source === 'built-in' ? choice.name : choice.source === 'team' ? choice.ref : '';
    try {
      const s = unwrap(await api.GET('/scenarios/{name}', { params: { path: { name } } })) as unknown as { name: string; document: Record<string, unknown> };
      onChange({ source: 'document', text: stringify({ ...s.document, name: `${s.name}-copy` }, { lineWidth: 0 }) });
    } catch (e) {
      setCopyError(e);
    }
  }

  const issues = [...read.issues, ...serverIssues];
  return (
    <>
      <fieldset className="row">
        <legend>Scenario from</legend>
        {SOURCES.map(({ source, label }) => (
          <label key={source}>
            <input type="radio" name="scenario-source" checked={choice.source === source} onChange={() => choose(source)} /> {label}
          </label>
        ))}
      </fieldset>
      <div className="row">
        {choice.source === 'built-in' && (
          <label>
            Scenario{' '}
            <select value={choice.name} onChange={(e) => onChange({ source: 'built-in', name: e.target.value })}>
              {builtIns.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {choice.source === 'team' &&
          (team.length ? (
            <label>
              Published scenario{' '}
              <select value={choice.ref} onChange={(e) => onChange({ source: 'team', ref: e.target.value })}>
                {team.map((s) => (
                  <option key={s.ref} value={s.ref}>
                    {s.ref} (by {s.publishedBy})
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="help">Your team has published no scenario yet (`mmreplay scenarios publish --api`, or POST /scenarios).</p>
          ))}
        {choice.source !== 'document' && (choice.source === 'built-in' || team.length > 0) && (
          <button type="button" onClick={copy}>
            Edit a copy as a document
          </button>
        )}
      </div>
      <ErrorNote error={copyError} />
      {choice.source === 'document' && (
        <div className="variant-editor">
          <label htmlFor="scenario-document">Scenario document (YAML or JSON; docs/scenarios.md)</label>
          <textarea
            id="scenario-document"
            rows={16}
            spellCheck={false}
            value={choice.text}
            onChange={(e) => onChange({ source: 'document', text: e.target.value })}
            aria-invalid={issues.length > 0}
            aria-describedby="document-issues"
          />
          <ul id="document-issues" className="issues" aria-live="polite">
            {issues.map((i) => {
              const line = read.lineOf(i.field);
              return (
                <li key={i.field + i.message} className="error">
                  <code>{i.field}</code>
                  {line !== undefined && i.field !== 'document' && <> (line {line})</>}: {i.message}
                </li>
              );
            })}
            {issues.length === 0 && read.outline && (
              <li className="ok">
                reads as <code>{read.outline.name || '(no name)'}</code>; the server checks the rest when the audit starts
              </li>
            )}
          </ul>
        </div>
      )}
    </>
  );
}
