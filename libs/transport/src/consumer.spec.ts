import { createLogger, loadConfig } from '@hookline/config';
import { BusServer } from './bus-server';
import { defineConsumer, isConsumerDeclaration, subscribeOptions } from './consumer';
import { MemoryBus } from './memory-bus';

const logger = createLogger('test', 'silent');

describe('consumer declarations', () => {
  const config = loadConfig({ EXECUTOR_CONCURRENCY: '7', INSTANCE_ID: 'replica-1' });

  it('resolve to subscribe options with this process configuration', () => {
    const declaration = defineConsumer({
      topic: 't',
      groupId: (c) => `listener-${c.instanceId}`,
      fromBeginning: false,
      concurrency: (c) => c.executor.concurrency,
      ephemeral: true,
    });

    expect(subscribeOptions(declaration, config)).toEqual({
      topic: 't',
      groupId: 'listener-replica-1',
      fromBeginning: false,
      concurrency: 7,
      ephemeral: true,
    });
  });

  it('are recognised only when made by defineConsumer', () => {
    const shape = { topic: 't', groupId: 'g', fromBeginning: true, concurrency: 1 };

    expect(isConsumerDeclaration(defineConsumer({ ...shape }))).toBe(true);
    expect(isConsumerDeclaration(shape)).toBe(false);
    expect(isConsumerDeclaration(undefined)).toBe(false);
  });

  it('are required by the BusServer, which refuses a handler without one', async () => {
    const bus = new MemoryBus({ partitions: 1, logger });
    await bus.provision(['t']);
    const server = new BusServer(bus, {
      config,
      redelivery: config.consumers,
      healthy: async () => true,
      logger,
    });
    server.addHandler('t', async () => undefined, true, { groupId: 'g', fromBeginning: true });

    const failed = await new Promise<unknown>((resolve) => void server.listen(resolve));

    expect(String(failed)).toContain("the handler of 't' is not a @BusConsumer");
  });
});
