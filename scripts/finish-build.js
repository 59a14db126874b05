// The second half of `npm run build`, after tsc has emitted dist/: copies what tsc does not emit
// (the sandbox runtime, plain .js read from disk at start) and turns the `@hookline/<lib>` aliases
// of tsconfig.base.json into relative requires, so `node dist/apps/<app>/src/main.js` needs nothing
// but node_modules. Idempotent: incremental builds re-emit only changed files and run it again.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const ASSETS = ['libs/sandbox/src/runtime'];

for (const folder of ASSETS) {
  const from = path.join(root, folder);
  const to = path.join(dist, folder);
  fs.mkdirSync(to, { recursive: true });
  for (const file of fs.readdirSync(from).filter((name) => name.endsWith('.js'))) {
    fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
}

const aliases = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths;
const ALIAS = /require\("(@hookline\/[a-z-]+)"\)/g;
let rewritten = 0;
for (const file of walk(dist)) {
  if (!file.endsWith('.js')) continue;
  const source = fs.readFileSync(file, 'utf8');
  const output = source.replace(ALIAS, (_, alias) => {
    const target = aliases[alias]?.[0];
    if (!target) throw new Error(`${path.relative(root, file)}: no path for ${alias} in tsconfig.base.json`);
    let relative = path.relative(path.dirname(file), path.join(dist, target.replace(/\.ts$/, '.js')));
    if (!relative.startsWith('.')) relative = `./${relative}`;
    return `require("${relative}")`;
  });
  if (output !== source) {
    fs.writeFileSync(file, output);
    rewritten++;
  }
}
console.log(`dist/: runtime assets copied, @hookline aliases resolved in ${rewritten} files`);

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}
