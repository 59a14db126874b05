import { ExecutionEntity } from './execution.entity';
import { FunctionEntity } from './function.entity';
import { MessageEntity } from './message.entity';
import { ProviderEntity } from './provider.entity';

export * from './execution.entity';
export * from './function.entity';
export * from './message.entity';
export * from './provider.entity';

export const ENTITIES = [ProviderEntity, FunctionEntity, MessageEntity, ExecutionEntity];
