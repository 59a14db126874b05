import { readdirSync } from 'node:fs';
import { RUNTIME_FILES } from './runtime-source';

describe('the in-isolate runtime', () => {
  it('is made of every .js file of its folder, the files the type checker checks', () => {
    const files = readdirSync(__dirname).filter((name) => name.endsWith('.js'));

    expect([...RUNTIME_FILES].sort()).toEqual(files.sort());
  });
});
