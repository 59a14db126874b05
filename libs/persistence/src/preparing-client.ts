import pg from 'pg';
import { preparedName } from './stores/sql';

type Query = (...args: unknown[]) => unknown;

/**
 * pg's Client, which sends the statements marked with `prepared()` as named statements: prepared
 * on a connection the first time, only executed after that. Everything else (TypeORM's own
 * statements, SQL built from filters) is sent unnamed as before. The pool is given this class
 * (`Client` in its options), so transactions and plain queries alike use it.
 */
export class PreparingClient extends pg.Client {}

const query = pg.Client.prototype.query as Query;
PreparingClient.prototype.query = function (this: pg.Client, ...args: unknown[]): unknown {
  const [text, values] = args;
  const name = typeof text === 'string' && Array.isArray(values) && args.length === 2 ? preparedName(text) : undefined;
  return name ? query.call(this, { name, text, values }) : query.apply(this, args);
} as typeof pg.Client.prototype.query;
