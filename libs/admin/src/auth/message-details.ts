/**
 * What only tokens with the `details` permission see of a message, besides its payload: headers
 * often carry signatures and credentials, and query strings tokens.
 */
export const DETAIL_FIELDS = ['headers', 'query'] as const;

export type WithoutDetails<T> = Omit<T, (typeof DETAIL_FIELDS)[number]>;

/** The message with its detail fields left out (absent, not emptied) unless `details` allows them. */
export function withDetailsIf<T extends object>(details: boolean, message: T): T | WithoutDetails<T> {
  if (details) return message;
  const shown = { ...message } as Record<string, unknown>;
  for (const field of DETAIL_FIELDS) delete shown[field];
  return shown as WithoutDetails<T>;
}
