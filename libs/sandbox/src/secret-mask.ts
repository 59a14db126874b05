/** Replaces every secret property value in a text with `****`. */
export class SecretMask {
  static readonly REPLACEMENT = '****';
  private readonly secrets: string[];

  constructor(properties: ReadonlyArray<{ value: string; secret: boolean }>) {
    // Longest first, so a secret that contains another is masked whole.
    this.secrets = [...new Set(properties.filter((p) => p.secret && p.value !== '').map((p) => String(p.value)))].sort(
      (a, b) => b.length - a.length,
    );
  }

  apply(text: string): string {
    let masked = text;
    for (const secret of this.secrets) {
      if (masked.includes(secret)) masked = masked.split(secret).join(SecretMask.REPLACEMENT);
    }
    return masked;
  }
}
