import { show } from './StateTables';
import { rcuWords, type RcuData } from './rcu';

/** The memory model's objects of a state view (litmus tests, tso, lkmm): docs/memory-model.md. */
export interface MemoryViewData {
  vars: Record<string, unknown>;
  results: Record<string, unknown>;
  threads: Record<
    string,
    {
      storeBuffer?: unknown[];
      pendingLoads?: unknown[];
      pendingStores?: unknown[];
      sees?: Record<string, unknown>;
      notYetSeen?: Record<string, unknown[]>;
      rcu?: RcuData;
    }
  >;
  locations: Record<string, unknown[]>;
}

interface Props {
  memory: MemoryViewData;
  changed: ReadonlySet<string>;
  changeWord: string;
}

/**
 * Litmus variables and results, and per CPU what it has in flight and which stores have not
 * reached it yet; changed cells marked like the other tables.
 */
export function MemoryTables({ memory, changed, changeWord }: Props) {
  // (`within`: a changed field below the path marks it too: the RCU cell's three fields)
  const cell = (path: string, value: string, within = false) => {
    const hit = changed.has(path) || (within && [...changed].some((c) => c.startsWith(`${path}.`)));
    return (
      <td data-cell={path} className={hit ? 'changed' : undefined}>
        {value}
        {hit && <span className="sr-only"> ({changeWord})</span>}
      </td>
    );
  };
  const places = [
    ...Object.entries(memory.vars).map(([n, v]) => ({ n, path: `memory.vars.${n}`, v })),
    ...Object.entries(memory.results).map(([n, v]) => ({ n, path: `memory.results.${n}`, v })),
  ];
  const locs = Object.keys(memory.locations);
  const rcu = Object.values(memory.threads).some((t) => t.rcu !== undefined);
  return (
    <>
      {places.length > 0 && (
        <table>
          <caption>Litmus variables and results</caption>
          <thead>
            <tr>
              <th scope="col">place</th>
              <th scope="col">value</th>
            </tr>
          </thead>
          <tbody>
            {places.map((p) => (
              <tr key={p.path}>
                <th scope="row">{p.n}</th>
                {cell(p.path, p.v === null ? 'not recorded yet' : show(p.v))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {Object.keys(memory.threads).length > 0 && (
        <table>
          <caption>Memory model: per CPU</caption>
          <thead>
            <tr>
              <th scope="col">thread</th>
              <th scope="col">outstanding loads</th>
              <th scope="col">outstanding stores</th>
              {locs.map((l) => (
                <th scope="col" key={l}>
                  {l}: seen (not yet)
                </th>
              ))}
              {rcu && <th scope="col">RCU</th>}
            </tr>
          </thead>
          <tbody>
            {Object.entries(memory.threads).map(([n, t]) => (
              <tr key={n}>
                <th scope="row">{n}</th>
                {cell(`memory.threads.${n}.pendingLoads`, show(t.pendingLoads))}
                {cell(`memory.threads.${n}.pendingStores`, show([...(t.storeBuffer ?? []), ...(t.pendingStores ?? [])]))}
                {locs.map((l) =>
                  cell(
                    `memory.threads.${n}.notYetSeen.${l}`,
                    t.sees?.[l] === undefined ? '-' : `${show(t.sees[l])}${t.notYetSeen?.[l]?.length ? ` (${show(t.notYetSeen[l])})` : ''}`,
                  ),
                )}
                {rcu && cell(`memory.threads.${n}.rcu`, rcuWords(t.rcu), true)}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
