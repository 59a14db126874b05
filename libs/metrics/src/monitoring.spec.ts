import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { collectProcessMetrics, metricsRegistry } from './metrics';

const ROOT = join(__dirname, '../../..');
const read = (file: string) => readFileSync(join(ROOT, 'monitoring', file), 'utf8');

/** The dashboard and the alerts read only metrics the code exports: a rename breaks this test. */
describe('monitoring/ against the exported metrics', () => {
  collectProcessMetrics();
  const exported = new Set(metricsRegistry.getMetricsAsArray().map((metric) => metric.name));
  const namesIn = (expr: string) =>
    [...expr.matchAll(/hookline_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''));

  it('alert rules are well-formed and use exported metrics', () => {
    const rules = parse(read('prometheus-alerts.yaml')).groups.flatMap((group: { rules: unknown[] }) => group.rules);
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) {
      expect(rule).toEqual(expect.objectContaining({ alert: expect.any(String), expr: expect.any(String) }));
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      for (const name of namesIn(rule.expr))
        expect({ alert: rule.alert, name, exported: exported.has(name) }).toEqual({
          alert: rule.alert,
          name,
          exported: true,
        });
    }
  });

  it('dashboard panels query exported metrics', () => {
    const dashboard = JSON.parse(read('grafana-dashboard.json'));
    const exprs: string[] = dashboard.panels.flatMap((panel: { targets: Array<{ expr: string }> }) =>
      panel.targets.map((t) => t.expr),
    );
    expect(exprs.length).toBeGreaterThan(5);
    for (const name of exprs.flatMap(namesIn))
      expect({ name, exported: exported.has(name) }).toEqual({ name, exported: true });
  });
});
