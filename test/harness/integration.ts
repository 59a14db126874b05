/** `describe` for suites that need Kafka and PostgreSQL; skipped loudly when global setup found none. */
export function describeIntegration(name: string, body: () => void): void {
  const skip = process.env.HOOKLINE_INTEGRATION_SKIP;
  if (skip) describe.skip(`${name} — SKIPPED: ${skip}`, body);
  else describe(name, body);
}
