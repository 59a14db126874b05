import { Global, Module } from '@nestjs/common';
import { loadConfig, type HooklineConfig } from './hookline-config';

/** Injection token of the validated HooklineConfig. */
export const HOOKLINE_CONFIG = Symbol('HOOKLINE_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** Provides the given configuration, or the one read from process.env. */
  static forRoot(config: HooklineConfig = loadConfig()) {
    return {
      module: ConfigModule,
      providers: [{ provide: HOOKLINE_CONFIG, useValue: config }],
      exports: [HOOKLINE_CONFIG],
    };
  }
}
