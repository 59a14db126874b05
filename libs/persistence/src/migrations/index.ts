import { InitialSchema1764400000000 } from './1764400000000-initial-schema';

/** In order of application. */
export const MIGRATIONS = [InitialSchema1764400000000];
