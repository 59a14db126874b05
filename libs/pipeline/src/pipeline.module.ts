import { Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { ScriptSandbox } from '@hookline/sandbox';
import { SecretsModule } from '@hookline/secrets';
import { ConfigCache } from './config-cache';
import { ReplyPublisher } from './reply-publisher';

/** What the matcher and the executors share: the configuration cache, the sandbox, the reply path. */
@Module({
  imports: [SecretsModule],
  providers: [
    ConfigCache,
    ReplyPublisher,
    {
      provide: ScriptSandbox,
      inject: [HOOKLINE_CONFIG],
      useFactory: (config: HooklineConfig) => new ScriptSandbox(config.scripts),
    },
  ],
  exports: [ConfigCache, ReplyPublisher, ScriptSandbox],
})
export class PipelineModule implements OnApplicationShutdown {
  constructor(@Inject(ScriptSandbox) private readonly sandbox: ScriptSandbox) {}

  onApplicationShutdown(): void {
    this.sandbox.dispose();
  }
}
