import { useEffect, useState } from 'react';

/**
 * Hash routes (`#/messages/<id>`): the server serves one `index.html` at `/` and needs no fallback
 * route that could shadow the API's own 404s.
 */
export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    addEventListener('hashchange', update);
    update(); // the hash may have changed between the first render and now
    return () => removeEventListener('hashchange', update);
  }, []);
  return hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
}

export const navigate = (path: string): void => {
  location.hash = `#/${path}`;
};
