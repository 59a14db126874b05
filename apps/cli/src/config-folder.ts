import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { RemoteFunction, RemoteProvider } from './admin-client';

/**
 * Providers and functions as files: `hookline.yaml` lists the providers in evaluation order with
 * their functions; every script is a file of its own beside it; a secret property is a reference
 * to an environment variable (`fromEnv`), never its value.
 */
export interface DesiredProperty {
  name: string;
  value?: string;
  secret?: boolean;
  /** Secrets: the environment variable `apply` reads the value from. */
  fromEnv?: string;
}

export interface DesiredFunction {
  name: string;
  description: string | null;
  uri: string;
  active: boolean;
  /** Path of the script, relative to the folder. */
  script: string;
  /** The function's retry policy; absent or null: a failed run is not tried again. */
  retry?: { maxAttempts: number; backoffMs: number } | null;
}

export interface DesiredProvider {
  name: string;
  description: string | null;
  active: boolean;
  /** Path of the match script, relative to the folder. */
  matchScript: string;
  properties: DesiredProperty[];
  dedupHeader: string | null;
  dedupWindowSeconds: number | null;
  /** The provider's ingress rate limit; absent or null: none. */
  rateLimit?: { perSecond: number; burst: number } | null;
  functions: DesiredFunction[];
}

const INDEX = 'hookline.yaml';
const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'unnamed';
/** The environment variable of a provider's secret property: HOOKLINE_SECRET_<PROVIDER>_<NAME>. */
export const secretVariable = (provider: string, property: string) =>
  `HOOKLINE_SECRET_${slug(provider)}_${slug(property)}`.toUpperCase().replace(/-/g, '_');

/** Writes the live configuration into `folder` (providers in evaluation order). */
export function writeFolder(folder: string, providers: RemoteProvider[], functions: RemoteFunction[]): void {
  // Every file ends with one newline more than its content; readFolder takes exactly that one off.
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), `${text}\n`);
  };
  const index = [...providers]
    .sort((a, b) => a.sequence - b.sequence)
    .map((provider): DesiredProvider => {
      const dir = `providers/${slug(provider.name)}`;
      write(`${dir}/match.js`, provider.matchScript);
      return {
        name: provider.name,
        description: provider.description,
        active: provider.active,
        matchScript: `${dir}/match.js`,
        properties: provider.properties.map((p) =>
          p.secret
            ? { name: p.name, secret: true, fromEnv: secretVariable(provider.name, p.name) }
            : { name: p.name, value: p.value },
        ),
        dedupHeader: provider.dedupHeader,
        dedupWindowSeconds: provider.dedupWindowSeconds,
        ...(provider.rateLimit
          ? { rateLimit: { perSecond: provider.rateLimit.perSecond, burst: provider.rateLimit.burst } }
          : {}),
        functions: functions
          .filter((fn) => fn.providerId === provider.id)
          .map((fn) => {
            write(`${dir}/functions/${slug(fn.name)}.js`, fn.script);
            return {
              name: fn.name,
              description: fn.description,
              uri: fn.uri,
              active: fn.active,
              script: `${dir}/functions/${slug(fn.name)}.js`,
              ...(fn.retry ? { retry: { maxAttempts: fn.retry.maxAttempts, backoffMs: fn.retry.backoffMs } } : {}),
            };
          }),
      };
    });
  write(INDEX, stringify({ providers: index }).replace(/\n$/, ''));
}

/** Reads `folder` back; scripts are loaded from their files. */
export function readFolder(
  folder: string,
): Array<DesiredProvider & { matchSource: string; functions: Array<DesiredFunction & { source: string }> }> {
  const index = parse(readFileSync(join(folder, INDEX), 'utf8')) as { providers?: DesiredProvider[] };
  const read = (path: string) => readFileSync(join(folder, path), 'utf8').replace(/\n$/, '');
  return (index.providers ?? []).map((provider) => ({
    ...provider,
    properties: provider.properties ?? [],
    matchSource: read(provider.matchScript),
    functions: (provider.functions ?? []).map((fn) => ({ ...fn, source: read(fn.script) })),
  }));
}
