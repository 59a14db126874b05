#!/usr/bin/env node
import { AdminClient } from './admin-client';
import { apply } from './apply';
import { writeFolder } from './config-folder';

const USAGE = `hookline — providers and functions as files, kept in Git

  hookline export <folder>                 write the live configuration into <folder>
  hookline diff <folder>                   what apply would change (changes nothing)
  hookline apply <folder> [--prune] [--update-secrets] [--dry-run]
                                           create, update and reorder to match <folder>;
                                           --prune deactivates what <folder> no longer lists;
                                           --update-secrets also rewrites stored secrets

  HOOKLINE_URL    the admin API (default http://localhost:3000)
  HOOKLINE_TOKEN  an admin API token (role admin for apply; viewer is enough for export and diff)
  Secret properties are exported as references (fromEnv: HOOKLINE_SECRET_...); apply reads them
  from those variables when a secret is new (or with --update-secrets); a stored secret is kept.`;

async function main(argv: string[]): Promise<number> {
  const [command, folder] = argv;
  const flags = new Set(argv.slice(2));
  if (!command || !folder || !['export', 'diff', 'apply'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const token = process.env.HOOKLINE_TOKEN;
  if (!token) {
    console.error('set HOOKLINE_TOKEN to an admin API token');
    return 2;
  }
  const client = new AdminClient(process.env.HOOKLINE_URL ?? 'http://localhost:3000', token);
  if (command === 'export') {
    const [providers, functions] = await Promise.all([client.providers(), client.functions()]);
    writeFolder(folder, providers, functions);
    console.log(`exported ${providers.length} providers and ${functions.length} functions to ${folder}`);
    return 0;
  }
  const dryRun = command === 'diff' || flags.has('--dry-run');
  const changes = await apply(client, folder, {
    dryRun,
    prune: flags.has('--prune'),
    updateSecrets: flags.has('--update-secrets'),
  });
  for (const change of changes) console.log(`${dryRun ? 'would ' : ''}${change}`);
  console.log(changes.length === 0 ? 'no changes' : `${changes.length} change(s)${dryRun ? ' planned' : ' applied'}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`hookline: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
