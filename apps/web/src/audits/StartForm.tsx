import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, problemOf, unwrap, type Schemas } from '../api/client';
import { ErrorNote } from '../ui/ErrorNote';
import { readScenarioDocument } from './scenario-document';
import { ScenarioPicker, type ListedScenario, type ScenarioChoice } from './ScenarioPicker';
import { checkVariant, type Issue } from './variant';

const CUSTOM = '(custom JSON)';
type Strategy = NonNullable<Schemas['StartAuditDto']['strategy']>;
/** Every strategy the API's contract names (a new one fails the type check until it is described here). */
const STRATEGIES: Readonly<Record<Strategy, string>> = {
  exhaustive: 'every interleaving, within the bounds',
  pct: 'sampled schedules with priority changes (PCT)',
  random: 'sampled schedules, uniformly at random',
};
// the OpenAPI document types a variant object loosely ({ type: object }); the editor checked its fields
type WireVariant = Schemas['StartAuditDto']['variant'];

/** Starts an audit, or a comparison of a baseline and a fix, from a scenario (built-in, published or a document) and a variant. */
export function StartForm() {
  const navigate = useNavigate();
  const scenarios = useQuery({
    queryKey: ['scenarios'],
    queryFn: async () => (unwrap(await api.GET('/scenarios', { params: { query: { limit: 200 } } })) as unknown as { nodes: ListedScenario[] }).nodes,
    staleTime: Infinity,
  });
  const [kind, setKind] = useState<'audit' | 'comparison'>('comparison');
  const [choice, setChoice] = useState<ScenarioChoice>({ source: 'built-in', name: 'seed' });
  const [params, setParams] = useState<Record<string, string>>({ ptes: '2', faults: '2' });
  const [variant, setVariant] = useState('unlock-before-remove');
  const [fix, setFix] = useState('kernel');
  const [json, setJson] = useState('{\n  "switches": {"WAIT": "pre"}\n}');
  const [strategy, setStrategy] = useState<Strategy>('exhaustive');
  const [serverError, setServerError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const read = useMemo(() => readScenarioDocument(choice.source === 'document' ? choice.text : ''), [choice]);
  const scenario =
    choice.source === 'document'
      ? read.outline
      : scenarios.data?.find((s) => (choice.source === 'built-in' ? s.source === 'built-in' && s.name === choice.name : s.ref === choice.ref));
  const scenarioName = scenario?.name || '(unnamed)';
  const local = useMemo(() => (variant === CUSTOM ? checkVariant(json, scenario?.switches ?? []) : { issues: [] as Issue[] }), [variant, json, scenario]);
  const serverIssues = problemOf(serverError)?.errors ?? [];
  const variantField = kind === 'audit' ? 'variant' : 'baseline';
  const variantIssues = [...local.issues, ...serverIssues.filter((i) => i.field.startsWith(variantField))];
  const documentIssues = serverIssues.filter((i) => i.field === 'document' || i.field.startsWith('document.') || i.field.startsWith('document['));
  const names = ['kernel', ...(scenario?.variants.map((v) => v.name) ?? [])];
  // a named variant the chosen scenario does not have falls back to the kernel protocol
  const chosen = variant === CUSTOM || names.includes(variant) ? variant : 'kernel';
  const chosenFix = names.includes(fix) ? fix : 'kernel';
  const blocked = local.issues.length > 0 || (choice.source === 'document' && read.issues.length > 0) || (choice.source === 'team' && !choice.ref);

  function pick(c: ScenarioChoice) {
    // the API's issues were about the text as it was: editing it is fixing them
    if (c.source !== choice.source || c.source === 'document') setServerError(null);
    setChoice(c);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (blocked) return;
    setBusy(true);
    setServerError(null);
    const p = Object.fromEntries(
      Object.entries(params)
        .filter(([k, v]) => v !== '' && scenario?.params.some((x) => x.name === k))
        .map(([k, v]) => [k, Number(v)]),
    );
    // `kernel` is the unmodified protocol: no variant at all
    const v = (chosen === CUSTOM ? local.value! : chosen === 'kernel' ? undefined : chosen) as WireVariant;
    // a document goes as the text typed: the API parses YAML and JSON and names problems by their path in it
    const target = choice.source === 'document' ? { document: choice.text } : { scenario: choice.source === 'team' ? choice.ref : choice.name };
    try {
      if (kind === 'audit') {
        const a = unwrap(await api.POST('/audits', { body: { ...target, params: p, variant: v, strategy } }));
        navigate(`/audits/${a.id}`);
      } else {
        const c = unwrap(
          await api.POST('/comparisons', {
            body: { ...target, params: p, baseline: v ?? 'kernel', fix: chosenFix === 'kernel' ? undefined : chosenFix, strategy },
          }),
        );
        navigate(`/comparisons/${c.id}`);
      }
    } catch (err) {
      setServerError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="start" onSubmit={submit} aria-labelledby="start-title" noValidate>
      <h2 id="start-title">Start</h2>
      <fieldset className="row">
        <legend>What</legend>
        <label>
          <input type="radio" name="kind" checked={kind === 'comparison'} onChange={() => setKind('comparison')} /> a comparison (baseline and fix)
        </label>
        <label>
          <input type="radio" name="kind" checked={kind === 'audit'} onChange={() => setKind('audit')} /> one audit
        </label>
      </fieldset>
      <ScenarioPicker listed={scenarios.data ?? []} choice={choice} onChange={pick} read={read} serverIssues={documentIssues} />
      <div className="row">
        <label>
          Strategy{' '}
          <select value={strategy} onChange={(e) => setStrategy(e.target.value as Strategy)}>
            {(Object.keys(STRATEGIES) as Strategy[]).map((k) => (
              <option key={k} value={k} title={STRATEGIES[k]}>
                {k}
              </option>
            ))}
          </select>
        </label>
      </div>
      {scenario && <p className="help">{scenario.title}</p>}
      <fieldset className="row">
        <legend>Parameters</legend>
        {scenario?.params.map((p) => (
          <label key={p.name} title={p.description}>
            {p.name}{' '}
            <input
              type="number"
              name={`param-${p.name}`}
              min={p.min}
              max={p.max}
              placeholder={String(p.default)}
              value={params[p.name] ?? ''}
              onChange={(e) => setParams({ ...params, [p.name]: e.target.value })}
            />
          </label>
        ))}
      </fieldset>
      <div className="row">
        <label>
          {kind === 'audit' ? 'Variant' : 'Baseline variant'}{' '}
          <select name="variant" value={chosen} onChange={(e) => setVariant(e.target.value)}>
            {names.map((n) => (
              <option key={n}>{n}</option>
            ))}
            <option>{CUSTOM}</option>
          </select>
        </label>
        {kind === 'comparison' && (
          <label>
            Fix{' '}
            <select name="fix" value={chosenFix} onChange={(e) => setFix(e.target.value)}>
              {names.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {chosen === CUSTOM && (
        <div className="variant-editor">
          <label htmlFor="variant-json">Variant (JSON: switches and patches)</label>
          <textarea
            id="variant-json"
            rows={6}
            spellCheck={false}
            value={json}
            onChange={(e) => setJson(e.target.value)}
            aria-invalid={variantIssues.length > 0}
            aria-describedby="variant-issues"
          />
          <ul id="variant-issues" className="issues" aria-live="polite">
            {variantIssues.map((i) => (
              <li key={i.field + i.message} className="error">
                <code>{i.field}</code>: {i.message}
              </li>
            ))}
            {variantIssues.length === 0 && <li className="ok">valid for {scenarioName}</li>}
          </ul>
        </div>
      )}
      <button type="submit" disabled={busy || blocked}>
        Start {kind}
      </button>
      <ErrorNote error={serverError} />
    </form>
  );
}
