'use strict';
// Loads every node and credential the package.json n8n section lists, as n8n's loader would, and checks
// each class instantiates with a description. Run under the machine's own Node too: the built pack must
// load on older Node versions that n8n 1.x runs on, even though our tooling needs Node 24.
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const { n8n } = require(path.join(root, 'package.json'));
let failures = 0;
for (const file of [...n8n.nodes, ...n8n.credentials]) {
	try {
		const exported = require(path.join(root, file));
		const [name, Class] = Object.entries(exported)[0];
		const instance = new Class();
		const description = instance.description ?? instance;
		if (!description.name || !description.displayName) throw new Error(`${name} has no name/displayName`);
	} catch (error) {
		failures++;
		process.stderr.write(`cannot load ${file}: ${error.message}\n`);
	}
}
process.stdout.write(`${n8n.nodes.length} nodes and ${n8n.credentials.length} credentials load on Node ${process.versions.node}${failures ? ` — ${failures} failed` : ''}\n`);
process.exit(failures ? 1 : 0);
