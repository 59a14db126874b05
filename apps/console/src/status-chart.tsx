import { useCallback, useEffect, useRef, useState } from 'react';
import { get, query, type MessageStats, type StatusCounts } from './api';
import { ErrorNote } from './ui';

/** Bottom to top in each bar. */
const STATUSES: Array<keyof StatusCounts> = ['SUCCESS', 'FAILED', 'UNMATCHED', 'DUPLICATE', 'PROCESSING', 'RECEIVED'];
const HEIGHT = 140;
/** Room for the count at the top left. */
const LEFT = 28;
const AXIS = 18;
const REFRESH_MS = 10_000;

export interface ChartFilter {
  providerId?: string;
  uri?: string;
  from?: string;
  to?: string;
}

/**
 * Messages per status over the filter's time range (the last 24 hours by default), as stacked bars
 * in plain SVG: no chart library in the first load. Follows new messages while `live`.
 */
export function StatusChart({ filter, live }: { filter: ChartFilter; live: boolean }) {
  const [stats, setStats] = useState<MessageStats | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { providerId, uri, from, to } = filter;
  const width = useWidth();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const next = await get<MessageStats>(`messages/stats?${query({ providerId, uri, from, to })}`);
        if (!stopped) {
          setStats(next);
          setError(null);
        }
      } catch (caught) {
        if (!stopped) setError(caught);
      }
      // A range that ends now moves on; a fixed one only changes as its messages do.
      if (!stopped && live) timer = setTimeout(load, REFRESH_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [providerId, uri, from, to, live]);

  if (error) return <ErrorNote error={error} />;
  if (!stats || !width.value) return <div className="chart" ref={width.ref} aria-busy="true" />;
  const WIDTH = width.value;

  const totals = Object.fromEntries(
    STATUSES.map((status) => [status, stats.buckets.reduce((sum, bucket) => sum + bucket.counts[status], 0)]),
  ) as StatusCounts;
  const all = STATUSES.reduce((sum, status) => sum + totals[status], 0);
  const highest = Math.max(1, ...stats.buckets.map((bucket) => STATUSES.reduce((s, st) => s + bucket.counts[st], 0)));
  const slot = (WIDTH - LEFT) / Math.max(1, stats.buckets.length);
  const scale = (HEIGHT - AXIS - 4) / highest;
  const summary =
    `${all} messages from ${label(stats.from, stats)} to ${label(stats.to, stats)}: ` +
    STATUSES.filter((status) => totals[status] > 0)
      .map((status) => `${totals[status]} ${status.toLowerCase()}`)
      .join(', ');

  return (
    <figure className="chart" data-testid="status-chart" ref={width.ref}>
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <line className="chart-axis" x1={LEFT} x2={WIDTH} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} />
        {stats.buckets.map((bucket, index) => {
          let y = HEIGHT - AXIS;
          const count = STATUSES.reduce((sum, status) => sum + bucket.counts[status], 0);
          return (
            <g key={bucket.start}>
              <title>
                {label(bucket.start, stats)}: {count === 0 ? 'no messages' : describe(bucket.counts)}
              </title>
              {/* Hover target for the title, bars or not. */}
              <rect x={LEFT + index * slot} y={0} width={slot} height={HEIGHT - AXIS} fill="transparent" />
              {STATUSES.filter((status) => bucket.counts[status] > 0).map((status) => {
                const height = Math.max(1, bucket.counts[status] * scale);
                y -= height;
                return (
                  <rect
                    key={status}
                    className={`bar bar-${status.toLowerCase()}`}
                    x={LEFT + index * slot + slot * 0.1}
                    y={y}
                    width={slot * 0.8}
                    height={height}
                  />
                );
              })}
            </g>
          );
        })}
        <text className="chart-label" x={4} y={14}>
          {highest}
        </text>
        <text className="chart-label" x={LEFT} y={HEIGHT - 4}>
          {label(stats.from, stats)}
        </text>
        <text className="chart-label" x={WIDTH - 4} y={HEIGHT - 4} textAnchor="end">
          {label(stats.to, stats)}
        </text>
      </svg>
      <figcaption>
        <ul className="legend">
          {STATUSES.map((status) => (
            <li key={status}>
              <span className={`swatch bar-${status.toLowerCase()}`} aria-hidden="true" />
              {status} {totals[status]}
            </li>
          ))}
          <li className="hint">
            {all} in all, {bucketName(stats.bucketSeconds)} per bar
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}

/** The element's width in CSS pixels, followed as the window resizes: the SVG is drawn at its real size. */
function useWidth() {
  const [value, setValue] = useState(0);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: HTMLElement | null) => {
    observer.current?.disconnect();
    if (!element) return;
    observer.current = new ResizeObserver(([entry]) => setValue(Math.floor(entry.contentRect.width)));
    observer.current.observe(element);
  }, []);
  return { value, ref };
}

const describe = (counts: StatusCounts) =>
  STATUSES.filter((status) => counts[status] > 0)
    .map((status) => `${counts[status]} ${status}`)
    .join(', ');

/** Dates as well as times when the range spans two days or more. */
const label = (iso: string, stats: MessageStats) =>
  new Date(stats.from).toDateString() !== new Date(stats.to).toDateString()
    ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })
    : new Date(iso).toLocaleTimeString(undefined, { timeStyle: 'short' });

const bucketName = (seconds: number) =>
  seconds % 86_400 === 0
    ? `${seconds / 86_400} d`
    : seconds % 3600 === 0
      ? `${seconds / 3600} h`
      : seconds % 60 === 0
        ? `${seconds / 60} min`
        : `${seconds} s`;
