import type { AdminClient, RemoteFunction, RemoteProvider } from './admin-client';
import { readFolder } from './config-folder';

/** One change `apply` makes (or, dry, would make), as a line a person reads. */
export type Change = string;

/**
 * Makes the live configuration what `folder` says: creates and updates providers and functions
 * (matched by name; a function by its provider and name), puts providers in the folder's order
 * and, with `prune`, deactivates what the folder no longer lists (nothing is deleted). Applying
 * the same folder twice changes nothing the second time. Secrets are read from their `fromEnv`
 * variables for new properties, and for stored ones only with `updateSecrets`.
 */
export async function apply(
  client: AdminClient,
  folder: string,
  { dryRun = false, prune = false, updateSecrets = false, env = process.env } = {},
): Promise<Change[]> {
  const desired = readFolder(folder);
  const changes: Change[] = [];
  let providers = await client.providers();
  const functions = await client.functions();
  const ids: string[] = [];

  for (const want of desired) {
    const have = providers.find((p) => p.name === want.name);
    const properties = want.properties.map((p) => {
      if (!p.secret) return { name: p.name, value: p.value ?? '' };
      // A stored secret cannot be compared (the API masks it): it is kept ("****") unless asked.
      const stored = have?.properties.some((q) => q.name === p.name && q.secret) ?? false;
      if (stored && !updateSecrets) return { name: p.name, value: '****', secret: true };
      const value = p.fromEnv ? env[p.fromEnv] : undefined;
      if (value === undefined && !stored)
        throw new Error(`provider '${want.name}': secret '${p.name}' needs ${p.fromEnv ?? 'fromEnv'} set`);
      return { name: p.name, value: value ?? '****', secret: true };
    });
    const body = {
      name: want.name,
      description: want.description ?? null,
      active: want.active ?? true,
      matchScript: want.matchSource,
      properties,
      dedupHeader: want.dedupHeader ?? null,
      ...(want.dedupHeader ? { dedupWindowSeconds: want.dedupWindowSeconds ?? null } : {}),
      rateLimit: want.rateLimit ?? null,
    };
    let providerId: string;
    if (!have) {
      changes.push(`create provider '${want.name}'`);
      providerId = dryRun ? `(new ${want.name})` : (await client.createProvider(body)).id;
    } else {
      providerId = have.id;
      const differs = providerDiffers(have, body);
      if (differs.length > 0) {
        changes.push(`update provider '${want.name}' (${differs.join(', ')})`);
        if (!dryRun) await client.updateProvider(have.id, body);
      }
    }
    ids.push(providerId);

    const current = functions.filter((fn) => fn.providerId === providerId);
    for (const fn of want.functions) {
      const fnBody = {
        name: fn.name,
        description: fn.description ?? null,
        uri: fn.uri,
        active: fn.active ?? true,
        script: fn.source,
        retry: fn.retry ?? null,
      };
      const existing = current.find((c) => c.name === fn.name);
      if (!existing) {
        changes.push(`create function '${want.name}/${fn.name}'`);
        if (!dryRun) await client.createFunction({ ...fnBody, providerId });
      } else {
        const differs = functionDiffers(existing, fnBody);
        if (differs.length > 0) {
          changes.push(`update function '${want.name}/${fn.name}' (${differs.join(', ')})`);
          if (!dryRun) await client.updateFunction(existing.id, fnBody);
        }
      }
    }
    if (prune)
      for (const gone of current.filter((c) => c.active && !want.functions.some((fn) => fn.name === c.name))) {
        changes.push(`deactivate function '${want.name}/${gone.name}'`);
        if (!dryRun) await client.updateFunction(gone.id, { active: false });
      }
  }

  const others = providers.filter((p) => !desired.some((want) => want.name === p.name));
  if (prune)
    for (const gone of others.filter((p) => p.active)) {
      changes.push(`deactivate provider '${gone.name}'`);
      if (!dryRun) await client.updateProvider(gone.id, { active: false });
    }
  // The folder's providers first, in its order; the others keep theirs after them.
  providers = [...providers].sort((a, b) => a.sequence - b.sequence);
  const order = [...ids, ...providers.filter((p) => others.includes(p)).map((p) => p.id)];
  const live = providers.map((p) => p.id);
  if (order.length !== live.length || order.some((id, i) => id !== live[i])) {
    changes.push(`reorder providers: ${desired.map((p) => p.name).join(', ')}`);
    if (!dryRun) await client.reorderProviders(order);
  }
  return changes;
}

function providerDiffers(have: RemoteProvider, want: Record<string, unknown>): string[] {
  const fields = ['description', 'active', 'matchScript', 'dedupHeader'].filter(
    (field) => (have as unknown as Record<string, unknown>)[field] !== want[field],
  );
  if ('dedupWindowSeconds' in want && have.dedupWindowSeconds !== want.dedupWindowSeconds)
    fields.push('dedupWindowSeconds');
  const limit = (value: unknown) => {
    const l = value as RemoteProvider['rateLimit'];
    return l ? `${l.perSecond}/${l.burst}` : '';
  };
  if (limit(have.rateLimit) !== limit(want.rateLimit)) fields.push('rateLimit');
  const props = want.properties as Array<{ name: string; value: string; secret?: boolean }>;
  const same =
    props.length === have.properties.length &&
    props.every((p, i) => {
      const q = have.properties[i];
      return q.name === p.name && !!q.secret === !!p.secret && (p.secret ? p.value === '****' : q.value === p.value);
    });
  if (!same) fields.push('properties');
  return fields;
}

function functionDiffers(have: RemoteFunction, want: Record<string, unknown>): string[] {
  const fields = ['description', 'uri', 'active', 'script'].filter(
    (field) => (have as unknown as Record<string, unknown>)[field] !== want[field],
  );
  const retry = (policy: unknown) => {
    const p = policy as RemoteFunction['retry'];
    return p ? `${p.maxAttempts}/${p.backoffMs}` : '';
  };
  if (retry(have.retry) !== retry(want.retry)) fields.push('retry');
  return fields;
}
