import { Kafka, logLevel } from 'kafkajs';

/** Waits until every group has committed up to the end of every partition of its topic. */
export async function waitUntilConsumed(
  brokers: string,
  groups: Array<{ groupId: string; topic: string }>,
  timeoutMs = 30_000,
): Promise<void> {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let behind = 0;
      for (const { groupId, topic } of groups) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        for (const end of ends) {
          const done = committed.partitions.find((p) => p.partition === end.partition);
          // A group that never committed on a partition reports -1: it starts from the beginning.
          behind += Math.max(0, Number(end.high) - Math.max(0, Number(done?.offset ?? 0)));
        }
      }
      if (behind === 0) return;
      if (Date.now() > deadline) throw new Error(`consumers still ${behind} records behind after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}
