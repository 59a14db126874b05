import { Module } from '@nestjs/common';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { SecretCipher } from './secret-cipher';

/** The SecretCipher over the configured SECRETS_KEYS (needs the global ConfigModule). */
@Module({
  providers: [
    {
      provide: SecretCipher,
      inject: [HOOKLINE_CONFIG],
      useFactory: (config: HooklineConfig) => new SecretCipher(config.secrets.keys),
    },
  ],
  exports: [SecretCipher],
})
export class SecretsModule {}
