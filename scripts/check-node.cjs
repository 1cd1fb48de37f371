#!/usr/bin/env node
/*
 * Runs before anything else in `npm start`, `npm test` and `npm run deploy`: one line, and exit
 * 1, when this Node is older than package.json `engines.node` (an older Node fails later with a
 * stack trace from deep inside a dependency). Plain CommonJS without modern syntax, so that even
 * a very old Node can run it. `node scripts/check-node.cjs 18.19.0` checks another version.
 */
'use strict';
var path = require('path');
var engines = require(path.join(__dirname, '..', 'package.json')).engines || {};
var required = engines.node || '';
var current = process.argv[2] || process.versions.node;

function parts(v) {
  return String(v).replace(/^v/, '').split('.').map(function (n) { return parseInt(n, 10) || 0; });
}
function atLeast(v, min) {
  var a = parts(v);
  var b = parts(min);
  for (var i = 0; i < 3; i++) {
    if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
  }
  return true;
}

// `engines.node` as the dependencies allow it: alternatives joined by `||`, each `>=x.y.z` or
// `^x.y.z` (that major version, from x.y.z on).
function satisfies(v, range) {
  return range.split('||').some(function (alt) {
    var m = /^\s*(>=|\^)\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(alt);
    if (!m) return true; // a form this check does not read: let npm and Node say
    return atLeast(v, m[2]) && (m[1] === '>=' || parts(v)[0] === parts(m[2])[0]);
  });
}

if (required && !satisfies(current, required)) {
  console.error('bahth: this is Node ' + current + '; bahth needs Node ' + required + ' (package.json engines: what its test and build tools accept). Install a Node of that range (e.g. `nvm install 22`), then run `npm ci` again.');
  process.exit(1);
}
