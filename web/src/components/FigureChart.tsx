// A horizontal bar chart of the overview's figures (recharts). Meaning never
// rests on colour: every bar is written out beside it (its value, or the word
// for withheld), and each series has its own pattern, repeated in the legend.
// The chart is one image with a name; the table beside it holds the same
// figures for screen readers and copying.
import { useId } from 'react';
import { Bar, BarChart, LabelList, Legend, XAxis, YAxis, type BarShapeProps } from 'recharts';
import { chartRows, type ChartSeries, type Figure, type FigureRow } from '../domain/overview';

/** Wide enough for the page and for an A4 page in print. */
const CHART_WIDTH = 680;
const BAR_HEIGHT = 14;

/** One pattern per series, told apart in black and white. */
const PATTERNS = [
  { kind: 'solid' },
  { kind: 'lines', rotate: 45 },
  { kind: 'dots' },
  { kind: 'lines', rotate: -45 },
  { kind: 'lines', rotate: 0 },
  { kind: 'lines', rotate: 90 },
  { kind: 'cross' },
] as const;

export interface FigureChartProps {
  /** The chart's accessible name. */
  name: string;
  rows: readonly FigureRow[];
  series: readonly ChartSeries[];
  /** A figure as the label beside its bar. */
  describe: (figure: Figure<number> | Figure<string>) => string;
}

export function FigureChart({ name, rows, series, describe }: FigureChartProps) {
  // useId's characters are not all valid in url(#…).
  const prefix = `pattern-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const data = chartRows(rows, series, describe);
  const height = 60 + rows.length * (series.length * BAR_HEIGHT + 28);
  return (
    <div className="figure-chart" role="img" aria-label={name}>
      <BarChart
        width={CHART_WIDTH}
        height={height}
        data={data}
        layout="vertical"
        margin={{ top: 8, right: 120, bottom: 8, left: 8 }}
        accessibilityLayer={false}
        barGap={2}
        barCategoryGap={12}
      >
        <defs>
          {series.map((s, i) => (
            <Pattern key={s.key} id={`${prefix}-${i}`} pattern={PATTERNS[i % PATTERNS.length]!} />
          ))}
        </defs>
        {/* At least 1: with every bar at 0 the scale would put 0 mid-chart. */}
        <XAxis type="number" hide domain={[0, (dataMax: number) => Math.max(dataMax, 1)]} />
        <YAxis type="category" dataKey="label" width={240} tick={{ fontSize: 12 }} interval={0} />
        {/* In the series' order, the order of the bars, not alphabetical. */}
        {series.length > 1 && <Legend verticalAlign="top" itemSorter={null} />}
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.name}
            fill={`url(#${prefix}-${i})`}
            stroke="currentColor"
            barSize={BAR_HEIGHT - 2}
            isAnimationActive={false}
            shape={BarShape}
          >
            <LabelList dataKey={`${s.key}Label`} position="right" fontSize={12} fill="currentColor" />
          </Bar>
        ))}
      </BarChart>
    </div>
  );
}

/**
 * A bar as a plain rectangle. Given as a shape so that recharts keeps the
 * bars of zero length: their labels ("0", or withheld in words) must show.
 */
function BarShape(props: BarShapeProps) {
  const { x = 0, y = 0, width = 0, height = 0, fill, stroke } = props;
  if (width <= 0 || height <= 0) return <g />;
  return <rect x={x} y={y} width={width} height={height} fill={fill} stroke={stroke} />;
}

function Pattern({ id, pattern }: { id: string; pattern: (typeof PATTERNS)[number] }) {
  const ink = 'var(--ds-color-accent-base-default, #1e4d8c)';
  const paper = 'var(--ds-color-neutral-background-default, #fff)';
  switch (pattern.kind) {
    case 'solid':
      return (
        <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse">
          <rect width="6" height="6" fill={ink} />
        </pattern>
      );
    case 'lines':
      return (
        <pattern
          id={id}
          width="6"
          height="6"
          patternUnits="userSpaceOnUse"
          patternTransform={`rotate(${pattern.rotate})`}
        >
          <rect width="6" height="6" fill={paper} />
          <rect width="2" height="6" fill={ink} />
        </pattern>
      );
    case 'dots':
      return (
        <pattern id={id} width="5" height="5" patternUnits="userSpaceOnUse">
          <rect width="5" height="5" fill={paper} />
          <circle cx="2.5" cy="2.5" r="1.3" fill={ink} />
        </pattern>
      );
    case 'cross':
      return (
        <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse">
          <rect width="6" height="6" fill={paper} />
          <rect width="6" height="1.5" fill={ink} />
          <rect width="1.5" height="6" fill={ink} />
        </pattern>
      );
  }
}
