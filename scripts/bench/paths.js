'use strict';
/** Where the compiled modules are; the bench only ever loads dist/, never the TypeScript sources. */
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const shared = path.join(root, 'dist', 'nodes', 'shared');

function dist(relative) {
	return require(path.join(shared, relative));
}

function distNode(relative) {
	return require(path.join(root, 'dist', 'nodes', relative));
}

module.exports = { root, dist, distNode };
