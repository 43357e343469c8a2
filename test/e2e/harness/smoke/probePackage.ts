/** A throwaway community package for the smoke run. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PKG = 'n8n-nodes-e2e-harness-probe';
export const PKG_VERSION = '0.0.1';

/** A plain node: adds its Tag and its own type to every item. */
const PROBE = {
	className: 'Probe',
	description: {
		displayName: 'E2E Probe', name: 'probe', group: ['transform'], version: 1,
		description: 'Adds a field to every item', defaults: { name: 'E2E Probe' },
		inputs: ['main'], outputs: ['main'],
		properties: [{ displayName: 'Tag', name: 'tag', type: 'string', default: 'probe' }],
	},
	methods: `
  async execute() {
    const items = this.getInputData();
    return [items.map((item, i) => ({ json: { ...item.json, probedBy: this.getNodeParameter('tag', i), probeType: this.getNode().type } }))];
  }`,
};

/** A webhook trigger that counts calls in node static data; `noRun: true` in the body answers without a run. */
const PROBE_TRIGGER = {
	className: 'ProbeTrigger',
	description: {
		displayName: 'E2E Probe Trigger', name: 'probeTrigger', group: ['trigger'], version: 1,
		description: 'Counts calls in node static data', defaults: { name: 'Probe Trigger' },
		inputs: [], outputs: ['main'],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: '={{$parameter["responseMode"]}}', path: 'probe' }],
		properties: [{
			displayName: 'Respond', name: 'responseMode', type: 'options', default: 'lastNode',
			options: [{ name: 'When Last Node Finishes', value: 'lastNode' }, { name: 'Immediately', value: 'onReceived' }],
		}],
	},
	methods: `
  async webhook() {
    const staticData = this.getWorkflowStaticData('node');
    staticData.count = (staticData.count || 0) + 1;
    const req = this.getRequestObject();
    if (req.body && req.body.noRun) {
      // answer without starting a workflow run
      return { webhookResponse: { count: staticData.count, noRun: true } };
    }
    return { workflowData: [[{ json: { body: req.body, count: staticData.count, webhookUrl: this.getNodeWebhookUrl('default') } }]] };
  }`,
};

const NODES = [PROBE, PROBE_TRIGGER];
const nodeFile = (className: string) => `dist/nodes/${className}/${className}.node.js`;

/** A node's dist file: plain CommonJS, as a built community package ships it. */
const nodeSource = (node: (typeof NODES)[number]) => `'use strict';
class ${node.className} {
  constructor() {
    this.description = ${JSON.stringify(node.description)};
  }${node.methods}
}
module.exports = { ${node.className} };
`;

/** Writes a minimal community package into `dir`: the two nodes, plain CommonJS in dist/. */
export function writeProbePackage(dir: string): void {
	const manifest = {
		name: PKG,
		version: PKG_VERSION,
		description: 'Throwaway package made by test/e2e/harness/smoke.ts',
		license: 'MIT',
		keywords: ['n8n-community-node-package'],
		files: ['dist'],
		n8n: { n8nNodesApiVersion: 1, credentials: [], nodes: NODES.map((node) => nodeFile(node.className)) },
		peerDependencies: { 'n8n-workflow': '*' },
	};
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
	for (const node of NODES) {
		const file = path.join(dir, nodeFile(node.className));
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, nodeSource(node));
	}
}

/** `npm pack` of `dir` into `dest`: the tarball's path. */
export function npmPack(dir: string, dest: string): string {
	const out = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dest, '--loglevel=error'], {
		cwd: dir,
		encoding: 'utf8',
	});
	return path.join(dest, out.trim().split('\n').pop() ?? '');
}
