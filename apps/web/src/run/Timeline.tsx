import { memo, useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { StepEvent } from '../api/client';
import { CATEGORIES, categoryOf } from './kinds';

const COLUMN = 12;
const LANE = 24;

interface Props {
  steps: number;
  threads: string[];
  eventAt: (step: number) => StepEvent | undefined;
  selected: number;
  violationStep?: number;
  onSelect: (step: number) => void;
  onVisible: (from: number, to: number) => void;
  label: string;
  /** what the outlined column means: the violation, or where two runs diverge */
  markLabel?: string;
}

/**
 * One lane per thread, one column per step, each step a mark on its thread's lane coloured by
 * kind. Only the columns in view exist in the DOM (@tanstack/react-virtual, horizontal), so a run
 * of a million steps draws as fast as one of thirty.
 */
export const Timeline = memo(function Timeline({
  steps,
  threads,
  eventAt,
  selected,
  violationStep,
  onSelect,
  onVisible,
  label,
  markLabel = 'violation',
}: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const lanes = useMemo(() => new Map(threads.map((t, i) => [t, i])), [threads]);
  const columns = useVirtualizer({
    horizontal: true,
    count: steps,
    getScrollElement: () => scroller.current,
    estimateSize: () => COLUMN,
    overscan: 30,
    // open at the selected step: the first columns drawn (and their events asked for) are those
    initialOffset: () => Math.max(0, selected * COLUMN - 240),
  });
  const items = columns.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const lastVisible = items[items.length - 1]?.index ?? 0;
  useEffect(() => onVisible(first, lastVisible), [first, lastVisible, onVisible]);
  useEffect(() => {
    if (selected >= 0 && selected < steps) columns.scrollToIndex(selected, { align: 'auto' });
  }, [selected, steps, columns]);
  const height = threads.length * LANE;
  return (
    <figure className="timeline" aria-label={label}>
      <div className="lane-names" aria-hidden="true">
        {threads.map((t) => (
          <div key={t} style={{ height: LANE }}>
            {t}
          </div>
        ))}
        <div className="axis-name">step</div>
      </div>
      <div ref={scroller} className="lanes" style={{ height: height + 22 }} data-testid="timeline">
        <div style={{ width: columns.getTotalSize(), height: '100%', position: 'relative' }}>
          {threads.map((t, i) => (
            <div key={t} className="lane-rule" style={{ top: i * LANE + LANE / 2 }} />
          ))}
          {items.map((item) => {
            const e = eventAt(item.index);
            const lane = e ? lanes.get(e.thread) : undefined;
            const classes = ['column', item.index === selected ? 'selected' : '', item.index === violationStep ? 'violation' : ''].join(' ');
            return (
              <div
                key={item.key}
                className={classes}
                style={{ left: item.start, width: COLUMN }}
                onClick={() => onSelect(item.index)}
                title={e ? `step ${e.step} · ${e.thread} · ${e.label} (${e.kind})` : `step ${item.index}`}
                data-step={item.index}
              >
                {lane !== undefined && <span className={`mark k-${categoryOf(e!.kind)}`} style={{ top: lane * LANE + 5 }} />}
                {item.index % 10 === 0 && (
                  <span className="tick" style={{ top: height + 2 }}>
                    {item.index}
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
      <figcaption className="legend">
        {CATEGORIES.map((c) => (
          <span key={c.category}>
            <span className={`mark static k-${c.category}`} aria-hidden="true" /> {c.label}
          </span>
        ))}
        <span>
          <span className="mark static violation-key" aria-hidden="true" /> {markLabel}
        </span>
      </figcaption>
    </figure>
  );
});
