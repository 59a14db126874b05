/** Raised for a bad configuration value; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads typed values from an environment, collecting every problem before failing once. */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Record<string, string | undefined>) {}

  string(name: string, fallback: string): string {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? fallback : raw;
  }

  optional(name: string): string | undefined {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  }

  int(name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got '${raw}'`);
    return fallback;
  }

  list(name: string): string[] {
    return (this.optional(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }

  /** A value in a format of its own; `parse` throws an Error whose message follows the variable's name. */
  parsed<T>(name: string, fallback: T, parse: (raw: string) => T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    try {
      return parse(raw);
    } catch (error) {
      this.problems.push(`${name} ${error instanceof Error ? error.message : String(error)}`);
      return fallback;
    }
  }

  /** Throws one ConfigError naming every bad variable. */
  done(): void {
    if (this.problems.length > 0) {
      throw new ConfigError(`invalid configuration:\n  ${this.problems.join('\n  ')}`);
    }
  }
}
