// Stops an npm script early, in one line, when no Node.js as new as .nvmrc runs it. npm puts
// node_modules/.bin first on PATH, where the optional dependency node-<os>-<arch> links Node 24;
// platforms the npm registry has no such package for need Node 24 installed by the user.
// Plain ES5-compatible CommonJS on purpose: it must run (and explain) under any old node.
'use strict';
var fs = require('fs');
var path = require('path');

var want = Number(fs.readFileSync(path.join(__dirname, '..', '.nvmrc'), 'utf8').replace(/[^0-9]/g, ''));
var have = Number(process.versions.node.split('.')[0]);
if (have < want) {
  var bundled = path.join(__dirname, '..', 'node_modules', '.bin', 'node');
  var why = fs.existsSync(bundled)
    ? 'run it through npm (`npm start`, `npm test`, `npm run ...`), which puts the Node.js ' +
      want +
      ' that `npm install` brought in node_modules/.bin first on PATH.'
    : 'the npm registry has no node-' +
      process.platform +
      '-' +
      process.arch +
      '@' +
      want +
      ' package for this machine: install Node.js ' +
      want +
      ' (https://nodejs.org, or `nvm install ' +
      want +
      '`), then run `npm install` again.';
  process.stderr.write(
    'Hookline needs Node.js ' +
      want +
      ' or newer, but ' +
      process.execPath +
      ' is ' +
      process.version +
      '; ' +
      why +
      '\n',
  );
  process.exit(1);
}
