/** Figures as they are measured: printed in titled blocks, then once more as a pasteable summary. */
export class Report {
  private readonly figures: Array<[key: string, value: string]> = [];
  private readonly anomalies: string[] = [];

  /** Starts a block; its figures are summarised as `<prefix>.<name>`. */
  section(prefix: string, title: string): Section {
    console.log(`\n== ${title}`);
    return new Section(prefix, (key, value) => this.figures.push([key, value]));
  }

  /** Something a reader of the figures must know: errors, non-2xx, stuck messages, growth. */
  anomaly(text: string): void {
    this.anomalies.push(text);
    console.log(`  !! ${text}`);
  }

  /** A figure of this run as printed, by its summary key. */
  figure(key: string): string | undefined {
    return this.figures.find(([k]) => k === key)?.[1];
  }

  info(text: string): void {
    console.log(`  ${text}`);
  }

  printSummary(): void {
    const width = Math.max(0, ...this.figures.map(([key]) => key.length));
    console.log('\n================ summary ================');
    for (const [key, value] of this.figures) console.log(`${key.padEnd(width)} ${value}`);
    console.log(this.anomalies.length === 0 ? 'anomalies: none' : 'anomalies:');
    for (const text of this.anomalies) console.log(`- ${text}`);
  }
}

export class Section {
  constructor(
    private readonly prefix: string,
    private readonly keep: (key: string, value: string) => void,
  ) {}

  add(name: string, value: number | string, unit = ''): this {
    const shown = typeof value === 'number' ? formatNumber(value) : value;
    console.log(`  ${name.padEnd(40)} ${shown}${unit ? ` ${unit}` : ''}`);
    this.keep(`${this.prefix}.${name}`, shown);
    return this;
  }
}

/** Whole numbers as they are, others with 2 significant decimals below 10 and 1 above. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(Math.abs(value) < 10 ? 2 : 1);
}
