// Builds the operators' console (apps/console) into static files, as part of `npm install`. Where
// it cannot be built — an install without devDependencies, or without the console's sources (the
// production image copies a build made in a stage of its own) — it says so and leaves it.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(join(root, 'apps', 'console', 'index.html')) || !existsSync(vite)) {
  process.stdout.write('console: not built here (no sources or no devDependencies)\n');
  process.exit(0);
}
const started = Date.now();
const build = spawnSync(process.execPath, [vite, 'build', 'apps/console', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
process.stdout.write(`console: built into apps/console/dist in ${Date.now() - started} ms\n`);
