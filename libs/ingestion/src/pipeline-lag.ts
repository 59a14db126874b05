import { ConsumerGroups, Topics } from '@hookline/contracts';
import type { Bus } from '@hookline/transport';

/** Records the matcher and the executors have not handled yet; null when the bus cannot tell. */
export async function pipelineLag(bus: Bus): Promise<number | null> {
  if (!bus.consumerLag) return null;
  const lags = await bus.consumerLag([
    { groupId: ConsumerGroups.Matcher, topic: Topics.MessagesReceived },
    { groupId: ConsumerGroups.Executor, topic: Topics.Jobs },
  ]);
  return lags.reduce((sum, { lag }) => sum + lag, 0);
}
