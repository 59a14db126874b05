import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_TEMPLATES } from './provider-templates';

// docs/scripting.md shows each template's match script and properties; they must stay the same.
describe('provider templates in docs/scripting.md', () => {
  const markdown = readFileSync(join(__dirname, '../../../../docs/scripting.md'), 'utf8');
  const section = markdown.slice(markdown.indexOf('## Templates'));

  it.each(PROVIDER_TEMPLATES.map((template) => [template.id, template]))('documents %s', (id, template) => {
    expect(section).toContain(`— \`${id}\``);
    expect(section).toContain('```js\n' + template.matchScript + '\n```');
    for (const property of template.properties) {
      const row = `| \`${property.name}\` | ${property.secret ? 'yes' : 'no'} | ${property.required ? 'yes' : 'no'} | ${property.description} |`;
      expect(section).toContain(row);
    }
  });
});
