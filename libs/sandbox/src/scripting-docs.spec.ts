import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptSandbox } from './script-sandbox';

// The examples in docs/scripting.md are what users copy: each must at least compile.
describe('docs/scripting.md examples', () => {
  const sandbox = new ScriptSandbox();
  afterAll(() => sandbox.dispose());

  const markdown = readFileSync(join(__dirname, '../../../docs/scripting.md'), 'utf8');
  const examples = [...markdown.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]);

  it('has examples', () => {
    expect(examples.length).toBeGreaterThan(15);
  });

  it.each(examples.map((source, i) => [i + 1, source]))('example %i compiles', (_, source) => {
    const kind = /\b(RESPONSE|KAFKA|HTTP)\./.test(source) ? 'function' : 'match';
    expect(sandbox.check(source, kind)).toBeNull();
  });
});
