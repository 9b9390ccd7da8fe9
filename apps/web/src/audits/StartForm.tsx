import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, problemOf, unwrap } from '../api/client';
import { ErrorNote } from '../ui/ErrorNote';
import { checkVariant, type Issue, type SwitchInfo } from './variant';

interface ScenarioInfo {
  name: string;
  title: string;
  params: { name: string; default: number; min: number; max: number; description: string }[];
  switches: SwitchInfo[];
  variants: { name: string; description: string }[];
}

const CUSTOM = '(custom JSON)';

/** Starts an audit, or a comparison of a baseline and a fix, from a scenario and a variant. */
export function StartForm() {
  const navigate = useNavigate();
  const scenarios = useQuery({
    queryKey: ['scenarios'],
    queryFn: async () => (unwrap(await api.GET('/scenarios', { params: { query: { limit: 200 } } })) as unknown as { nodes: ScenarioInfo[] }).nodes,
    staleTime: Infinity,
  });
  const [kind, setKind] = useState<'audit' | 'comparison'>('comparison');
  const [scenarioName, setScenario] = useState('seed');
  const [params, setParams] = useState<Record<string, string>>({ ptes: '2', faults: '2' });
  const [variant, setVariant] = useState('unlock-before-remove');
  const [fix, setFix] = useState('kernel');
  const [json, setJson] = useState('{\n  "switches": {"WAIT": "pre"}\n}');
  const [strategy, setStrategy] = useState('exhaustive');
  const [serverError, setServerError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const scenario = scenarios.data?.find((s) => s.name === scenarioName);
  const local = useMemo(() => (variant === CUSTOM ? checkVariant(json, scenario?.switches ?? []) : { issues: [] as Issue[] }), [variant, json, scenario]);
  const serverIssues = problemOf(serverError)?.errors ?? [];
  const variantField = kind === 'audit' ? 'variant' : 'baseline';
  const variantIssues = [...local.issues, ...serverIssues.filter((i) => i.field.startsWith(variantField))];
  const names = ['kernel', ...(scenario?.variants.map((v) => v.name) ?? [])];

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (local.issues.length) return;
    setBusy(true);
    setServerError(null);
    const p = Object.fromEntries(
      Object.entries(params)
        .filter(([k, v]) => v !== '' && scenario?.params.some((x) => x.name === k))
        .map(([k, v]) => [k, Number(v)]),
    );
    // `kernel` is the unmodified protocol: no variant at all
    const v = variant === CUSTOM ? local.value! : variant === 'kernel' ? undefined : variant;
    try {
      if (kind === 'audit') {
        const a = unwrap(await api.POST('/audits', { body: { scenario: scenarioName, params: p, variant: v, strategy } as never }));
        navigate(`/audits/${a.id}`);
      } else {
        const c = unwrap(
          await api.POST('/comparisons', {
            body: { scenario: scenarioName, params: p, baseline: v ?? 'kernel', fix: fix === 'kernel' ? undefined : fix, strategy } as never,
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
      <div className="row">
        <label>
          Scenario{' '}
          <select value={scenarioName} onChange={(e) => setScenario(e.target.value)}>
            {(scenarios.data ?? []).map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Strategy{' '}
          <select value={strategy} onChange={(e) => setStrategy(e.target.value)}>
            <option>exhaustive</option>
            <option>pct</option>
            <option>random</option>
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
          <select name="variant" value={variant} onChange={(e) => setVariant(e.target.value)}>
            {names.map((n) => (
              <option key={n}>{n}</option>
            ))}
            <option>{CUSTOM}</option>
          </select>
        </label>
        {kind === 'comparison' && (
          <label>
            Fix{' '}
            <select name="fix" value={fix} onChange={(e) => setFix(e.target.value)}>
              {names.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {variant === CUSTOM && (
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
      <button type="submit" disabled={busy || local.issues.length > 0}>
        Start {kind}
      </button>
      <ErrorNote error={serverError} />
    </form>
  );
}
