/**
 * A list of names where `*` alone allows anything, `x.*` a prefix (topics) and `*.x` a suffix
 * (host names). Matching ignores case.
 */
export class AllowList {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];
  private readonly suffixes: string[] = [];
  private readonly any: boolean;

  constructor(entries: string[]) {
    this.any = entries.includes('*');
    for (const raw of entries) {
      const entry = raw.toLowerCase();
      if (entry === '*') continue;
      if (entry.endsWith('*')) this.prefixes.push(entry.slice(0, -1));
      else if (entry.startsWith('*.')) this.suffixes.push(entry.slice(1));
      else this.exact.add(entry);
    }
  }

  allows(name: string): boolean {
    const value = name.toLowerCase();
    return (
      this.any ||
      this.exact.has(value) ||
      this.prefixes.some((prefix) => value.startsWith(prefix)) ||
      this.suffixes.some((suffix) => value.endsWith(suffix))
    );
  }

  /** Named explicitly (wildcards do not count): for permissions that must be given one by one. */
  names(name: string): boolean {
    return this.exact.has(name.toLowerCase());
  }
}
