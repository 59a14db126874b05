import { MAX_STATS_BUCKETS } from './dto/message-stats.dto';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Bucket lengths a reader takes in at a glance, shortest first. */
const ROUND_BUCKETS = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  30 * DAY,
];

/** The shortest round bucket that cuts `rangeMs` into at most MAX_STATS_BUCKETS; whole days beyond. */
export function bucketLength(rangeMs: number): number {
  return (
    ROUND_BUCKETS.find((length) => Math.ceil(rangeMs / length) <= MAX_STATS_BUCKETS) ??
    Math.ceil(rangeMs / MAX_STATS_BUCKETS / DAY) * DAY
  );
}
