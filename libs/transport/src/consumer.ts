import { EventPattern } from '@nestjs/microservices';
import type { HooklineConfig } from '@hookline/config';
import type { SubscribeOptions } from './bus';

/**
 * Where a consumer reads and how much at once, declared once next to the consumer: every consumer
 * of Hookline, stage or reply listener, subscribes from one of these (see subscribeOptions).
 */
export interface ConsumerDeclaration {
  topic: string;
  /** A function of the configuration for a group of one replica (with `ephemeral`). */
  groupId: string | ((config: HooklineConfig) => string);
  /** See SubscribeOptions.fromBeginning. */
  fromBeginning: boolean;
  /** Records handled at once (see SubscribeOptions.concurrency). */
  concurrency: number | ((config: HooklineConfig) => number);
  /** The group belongs to this process alone and is deleted when the subscription closes. */
  ephemeral?: boolean;
}

const declarations = new WeakSet<object>();

/** Declares a consumer; only declarations made here are accepted by `@BusConsumer` and the BusServer. */
export function defineConsumer(declaration: ConsumerDeclaration): Readonly<ConsumerDeclaration> {
  declarations.add(declaration);
  return Object.freeze(declaration);
}

/** True for a declaration made by defineConsumer. */
export function isConsumerDeclaration(value: unknown): value is ConsumerDeclaration {
  return typeof value === 'object' && value !== null && declarations.has(value);
}

/** What the bus is asked for on behalf of `declaration`, with this process's configuration. */
export function subscribeOptions(declaration: ConsumerDeclaration, config: HooklineConfig): SubscribeOptions {
  const { topic, groupId, fromBeginning, concurrency, ephemeral } = declaration;
  return {
    topic,
    groupId: typeof groupId === 'function' ? groupId(config) : groupId,
    fromBeginning,
    concurrency: typeof concurrency === 'function' ? concurrency(config) : concurrency,
    ephemeral,
  };
}

/**
 * Marks a Nest controller method as the handler of a stage consumer, served by the BusServer with
 * bounded redelivery and dead letters. The handler gets the decoded event and the record.
 */
export const BusConsumer = (declaration: ConsumerDeclaration): MethodDecorator =>
  EventPattern(declaration.topic, { consumer: declaration });
