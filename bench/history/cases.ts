import type { HistoryFilter, HistoryStore, PageRequest, SqlQuery } from '@hookline/persistence';
import type { Dataset } from './dataset';

export const PAGE_SIZE = 50;

/** One call of the API's list, as the admin API makes it. */
export interface ListCall {
  list: 'messages' | 'executions';
  filter: HistoryFilter;
  cursor?: string;
}

export interface BenchCase {
  name: string;
  /** The call of run `i`: parameters change from run to run, as different users' do. */
  call: (i: number) => ListCall;
}

const HOUR_MS = 3_600_000;

/** Words found in ~2% of executions, in every provider's URIs, or (nearly) nowhere. */
const FREQUENT_WORDS = ['github', 'deployed', 'gitlab push', 'answered', 'timed out'];
const RARE_WORDS = ['build 4242', 'xyzzy', 'build 98765', 'pagerduty/resolve 503', 'ECONNREFUSED 10.0.3.7'];

/**
 * The common questions asked of the history, through the same store the admin API uses. `cursorAt50`
 * is the cursor that opens page 50 of the unfiltered list.
 */
export function benchCases(data: Dataset, cursorAt50: string): BenchCase[] {
  const span = data.lastReceivedAt.getTime() - data.firstReceivedAt.getTime();
  /** A pseudo-random hour of the week, the same for the same run. */
  const hour = (i: number) => {
    const from = data.firstReceivedAt.getTime() + ((i * 7919) % Math.floor(span / HOUR_MS - 1)) * HOUR_MS;
    return { from: new Date(from), to: new Date(from + HOUR_MS) };
  };
  // A stride coprime with 10, 30 and 40: the first runs already reach small providers and rare URIs.
  const pick = <T>(items: T[], i: number) => items[(i * 7) % items.length];
  const messages = (filter: HistoryFilter, cursor?: string): ListCall => ({ list: 'messages', filter, cursor });
  const executions = (filter: HistoryFilter): ListCall => ({ list: 'executions', filter });
  const lastDay = { from: new Date(data.lastReceivedAt.getTime() - 24 * HOUR_MS) };
  return [
    { name: 'messages: first page', call: () => messages({}) },
    { name: 'messages: page 50 (cursor)', call: () => messages({}, cursorAt50) },
    { name: 'messages: status=FAILED', call: () => messages({ status: 'FAILED' }) },
    { name: 'messages: providerId', call: (i) => messages({ providerId: pick(data.providers, i).id }) },
    { name: 'messages: uri', call: (i) => messages({ uri: pick(data.uris, i) }) },
    { name: 'messages: functionId', call: (i) => messages({ functionId: pick(data.functions, i).id }) },
    { name: 'messages: from/to (1 h)', call: (i) => messages(hour(i)) },
    {
      name: 'messages: FAILED+provider, 24 h',
      call: (i) => messages({ status: 'FAILED', providerId: pick(data.providers, i).id, ...lastDay }),
    },
    { name: 'messages: q, frequent words', call: (i) => messages({ q: pick(FREQUENT_WORDS, i) }) },
    { name: 'messages: q, rare words', call: (i) => messages({ q: pick(RARE_WORDS, i) }) },
    { name: 'executions: first page', call: () => executions({}) },
    { name: 'executions: functionId', call: (i) => executions({ functionId: pick(data.functions, i).id }) },
    { name: 'executions: status=FAILED', call: () => executions({ status: 'FAILED' }) },
    { name: 'executions: uri', call: (i) => executions({ uri: pick(data.uris, i) }) },
    { name: 'executions: q', call: (i) => executions({ q: pick([...FREQUENT_WORDS, ...RARE_WORDS], i) }) },
  ];
}

export async function runCall(history: HistoryStore, call: ListCall): Promise<number> {
  const page: PageRequest = { cursor: call.cursor, limit: PAGE_SIZE };
  const result =
    call.list === 'messages' ? await history.messages(call.filter, page) : await history.executions(call.filter, page);
  return result.items.length;
}

export function callQuery(history: HistoryStore, call: ListCall): SqlQuery {
  const page: PageRequest = { cursor: call.cursor, limit: PAGE_SIZE };
  return call.list === 'messages'
    ? history.messagesQuery(call.filter, page)
    : history.executionsQuery(call.filter, page);
}
