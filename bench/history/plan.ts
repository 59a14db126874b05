import type { DataSource } from 'typeorm';
import type { SqlQuery } from '@hookline/persistence';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/**
 * The scans some queries actually ran (EXPLAIN ANALYZE: branches a one-time filter skipped do not
 * count), as one line: `Index Scan Backward messages_pkey, Bitmap Index Scan messages_search`,
 * then whether any table was read whole.
 */
export async function scanSummary(db: DataSource, queries: SqlQuery[]): Promise<string> {
  const scans = new Set<string>();
  const seq = new Set<string>();
  const walk = (node: PlanNode) => {
    if ((node['Actual Loops'] ?? 1) === 0) return;
    const type = node['Node Type'];
    if (type === 'Seq Scan') seq.add(node['Relation Name'] ?? '?');
    if (type.includes('Index')) {
      const direction = node['Scan Direction'] === 'Backward' ? ' Backward' : '';
      scans.add(`${type}${direction} ${node['Index Name']}`);
    }
    node.Plans?.forEach(walk);
  };
  for (const query of queries) {
    const [row] = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.text}`, query.params);
    const plan = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
    walk(plan[0].Plan);
  }
  const verdict = seq.size === 0 ? 'no seq scan' : `SEQ SCAN on ${[...seq].join(', ')}`;
  return `${[...scans].join(', ') || '(no index)'} | ${verdict}`;
}
