import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ConsumerGroups, Topics } from '@hookline/contracts';
import type { Report } from './report';

const kafka = (brokers: string) =>
  new Kafka({ clientId: 'hookline-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });

/**
 * The broker is shared: Hookline's consumer groups have fixed names, so another Hookline running
 * against it (a test suite, a dev instance) would take partitions from the bench's matcher and
 * executor. Says so, and how many records of earlier runs the consumers will skip first.
 */
export async function checkSharedBroker(brokers: string, report: Report): Promise<void> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const groups = [
      { groupId: ConsumerGroups.Matcher, topic: Topics.MessagesReceived },
      { groupId: ConsumerGroups.Executor, topic: Topics.Jobs },
    ];
    await reportForeignMembers(admin, brokers, 0, report);
    for (const { groupId, topic } of groups) {
      if (!existing.has(topic)) continue;
      const [ends, committed] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId, topics: [topic] }),
      ]);
      const done = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      // No committed offset: the group starts from the earliest record still kept (fromBeginning).
      const start = (p: { partition: number; low: string }) => {
        const offset = done.get(p.partition) ?? -1;
        return offset >= 0 ? offset : Number(p.low);
      };
      const lag = ends.reduce((sum, p) => sum + Number(p.high) - start(p), 0);
      report.info(`${topic}: ${ends.length} partitions; ${lag} older records not yet consumed by ${groupId}`);
    }
  } finally {
    await admin.disconnect();
  }
}

/** After the run: the bench's own matcher and executor are one member each; more means company. */
export async function checkSharedBrokerAfter(brokers: string, report: Report): Promise<void> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    await reportForeignMembers(admin, brokers, 1, report);
  } finally {
    await admin.disconnect();
  }
}

async function reportForeignMembers(admin: Admin, brokers: string, own: number, report: Report): Promise<void> {
  const described = await admin.describeGroups([ConsumerGroups.Matcher, ConsumerGroups.Executor]);
  for (const group of described.groups) {
    if (group.members.length > own) {
      report.anomaly(
        `consumer group ${group.groupId} has ${group.members.length - own} member(s) besides the bench's on ${brokers}: ` +
          'another Hookline is running against this broker and shares the work — figures are not trustworthy',
      );
    }
  }
}

/** Hookline leaves each ingress replica's reply group behind; the bench removes its own. */
export async function deleteConsumerGroup(brokers: string, groupId: string): Promise<void> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    await admin.deleteGroups([groupId]);
  } finally {
    await admin.disconnect();
  }
}

/** Creates a topic of the bench's own (the reference server's) if missing, partitioned like Hookline's. */
export async function createTopic(brokers: string, topic: string): Promise<void> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(topic)) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 6) }],
    });
  } finally {
    await admin.disconnect();
  }
}
