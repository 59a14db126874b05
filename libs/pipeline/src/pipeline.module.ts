import { Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { ScriptSandbox } from '@hookline/sandbox';
import { SecretsModule } from '@hookline/secrets';
import { DEAD_LETTER_HANDLER } from '@hookline/transport';
import { ConfigCache } from './config-cache';
import { DeadLetterFinalizer } from './dead-letter.finalizer';
import { ReplyPublisher } from './reply-publisher';

/** What the matcher and the executors share: the configuration cache, the sandbox, the reply path. */
@Module({
  imports: [SecretsModule],
  providers: [
    ConfigCache,
    ReplyPublisher,
    DeadLetterFinalizer,
    { provide: DEAD_LETTER_HANDLER, useExisting: DeadLetterFinalizer },
    {
      provide: ScriptSandbox,
      inject: [HOOKLINE_CONFIG],
      useFactory: (config: HooklineConfig) => new ScriptSandbox(config.scripts),
    },
  ],
  exports: [ConfigCache, ReplyPublisher, ScriptSandbox, DEAD_LETTER_HANDLER],
})
export class PipelineModule implements OnApplicationShutdown {
  constructor(@Inject(ScriptSandbox) private readonly sandbox: ScriptSandbox) {}

  onApplicationShutdown(): void {
    this.sandbox.dispose();
  }
}
