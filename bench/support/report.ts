/** One row of the results: a measured figure beside the floor it is judged against. */
export interface Figure {
  figure: string;
  unit: string;
  value: number;
  /** What the floor is, and its value measured in the same run. */
  floor?: { name: string; value: number };
  /** value / floor. */
  ratio?: number;
  /** The target in words, e.g. "≥ 1.5× bare-work". */
  target?: string;
  pass?: boolean;
  note?: string;
}

/** A figure with its ratio to a floor and, when there is a target, whether it is met. */
export function figure(
  fields: Omit<Figure, 'ratio' | 'pass'>,
  check?: (f: { value: number; ratio?: number }) => boolean,
): Figure {
  const ratio = fields.floor && fields.floor.value > 0 ? fields.value / fields.floor.value : undefined;
  return { ...fields, ratio, pass: check ? check({ value: fields.value, ratio }) : undefined };
}

/** A figure whose target is an absolute limit: the target text and the check come from `limit`. */
export function belowFigure(fields: Omit<Figure, 'ratio' | 'pass' | 'target'>, limit: number): Figure {
  return figure({ ...fields, target: `< ${limit} ${fields.unit}` }, ({ value }) => value < limit);
}

/**
 * Our reading of the "peak memory flat as the count grows": the larger run's
 * peak RSS within 1.25× of the smaller run's.
 */
export function flatMemoryFigure(
  name: string,
  largePeakRssMb: number,
  small: { name: string; peakRssMb: number },
): Figure {
  return figure(
    {
      figure: name,
      unit: 'MiB',
      value: largePeakRssMb,
      floor: { name: small.name, value: small.peakRssMb },
      target: '≤ 1.25× (flat)',
    },
    ({ ratio }) => (ratio ?? Infinity) <= 1.25,
  );
}

const show = (value: number, unit: string): string =>
  `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;

/** The table: figure | value | floor | ratio | target | pass/fail. */
export function formatTable(figures: Figure[]): string {
  const rows = [
    ['figure', 'value', 'floor', 'ratio', 'target', 'pass/fail'],
    ...figures.map((f) => [
      f.figure,
      show(f.value, f.unit),
      f.floor ? `${show(f.floor.value, f.unit)} (${f.floor.name})` : '—',
      f.ratio === undefined ? '—' : `${f.ratio.toFixed(2)}×`,
      f.target ?? '—',
      f.pass === undefined ? '—' : f.pass ? 'PASS' : 'FAIL',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [
    line(rows[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}
