/**
 * The file the harness preloads (`node -r`) into the n8n process under test: JavaScript source text, written
 * beside the user folder at each start, because the n8n child process loads it without any TypeScript hook.
 *
 * Custom registry: n8n 2.40 allows `N8N_COMMUNITY_PACKAGES_REGISTRY` other than registry.npmjs.org only
 * with the enterprise license feature `feat:communityNodes:customRegistry`
 * (CommunityPackagesService.getNpmRegistry). These few lines make `License.prototype.isCustomNpmRegistryEnabled()`
 * return true, and nothing else; the install itself then runs n8n's own code path.
 */
export const PRELOAD_SOURCE = `'use strict';
// Written by tools/n8n/instance.ts. Loaded with \`node -r\` into the n8n process under test only.
// n8n refuses a non-default community-package registry unless its license has
// feat:communityNodes:customRegistry; this opens that one gate (and nothing else) so the
// e2e tests can install packages from a loopback verdaccio through n8n's own install path.
const Module = require('node:module');
const origRequire = Module.prototype.require;
let patched = false;
Module.prototype.require = function (id) {
  const exp = origRequire.apply(this, arguments);
  if (!patched && typeof id === 'string' && /(^|\\/)license(\\.js)?$/.test(id)) {
    try {
      const L = exp && exp.License;
      if (typeof L === 'function' && typeof L.prototype.isCustomNpmRegistryEnabled === 'function') {
        L.prototype.isCustomNpmRegistryEnabled = function () { return true; };
        patched = true;
        Module.prototype.require = origRequire;
        process.stderr.write('[e2e-harness] custom community-package registry allowed (license gate opened)\\n');
      }
    } catch {}
  }
  return exp;
};
`;
