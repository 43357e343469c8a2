/** A throwaway community package for the smoke run. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PKG = 'n8n-nodes-e2e-harness-probe';
export const PKG_VERSION = '0.0.1';

/** A minimal community package: one plain node and one webhook trigger, plain CommonJS in dist/. */
export function writeProbePackage(dir: string): void {
	fs.mkdirSync(path.join(dir, 'dist', 'nodes', 'Probe'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'dist', 'nodes', 'ProbeTrigger'), { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: PKG,
				version: PKG_VERSION,
				description: 'Throwaway package made by test/e2e/harness/smoke.ts',
				license: 'MIT',
				keywords: ['n8n-community-node-package'],
				files: ['dist'],
				n8n: {
					n8nNodesApiVersion: 1,
					credentials: [],
					nodes: ['dist/nodes/Probe/Probe.node.js', 'dist/nodes/ProbeTrigger/ProbeTrigger.node.js'],
				},
				peerDependencies: { 'n8n-workflow': '*' },
			},
			null,
			2,
		),
	);
	fs.writeFileSync(
		path.join(dir, 'dist', 'nodes', 'Probe', 'Probe.node.js'),
		`'use strict';
class Probe {
  constructor() {
    this.description = {
      displayName: 'E2E Probe', name: 'probe', group: ['transform'], version: 1,
      description: 'Adds a field to every item', defaults: { name: 'E2E Probe' },
      inputs: ['main'], outputs: ['main'],
      properties: [{ displayName: 'Tag', name: 'tag', type: 'string', default: 'probe' }],
    };
  }
  async execute() {
    const items = this.getInputData();
    return [items.map((item, i) => ({ json: { ...item.json, probedBy: this.getNodeParameter('tag', i), probeType: this.getNode().type } }))];
  }
}
module.exports = { Probe };
`,
	);
	fs.writeFileSync(
		path.join(dir, 'dist', 'nodes', 'ProbeTrigger', 'ProbeTrigger.node.js'),
		`'use strict';
class ProbeTrigger {
  constructor() {
    this.description = {
      displayName: 'E2E Probe Trigger', name: 'probeTrigger', group: ['trigger'], version: 1,
      description: 'Counts calls in node static data', defaults: { name: 'Probe Trigger' },
      inputs: [], outputs: ['main'],
      webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: '={{$parameter["responseMode"]}}', path: 'probe' }],
      properties: [{
        displayName: 'Respond', name: 'responseMode', type: 'options', default: 'lastNode',
        options: [{ name: 'When Last Node Finishes', value: 'lastNode' }, { name: 'Immediately', value: 'onReceived' }],
      }],
    };
  }
  async webhook() {
    const staticData = this.getWorkflowStaticData('node');
    staticData.count = (staticData.count || 0) + 1;
    const req = this.getRequestObject();
    if (req.body && req.body.noRun) {
      // answer without starting a workflow run
      return { webhookResponse: { count: staticData.count, noRun: true } };
    }
    return { workflowData: [[{ json: { body: req.body, count: staticData.count, webhookUrl: this.getNodeWebhookUrl('default') } }]] };
  }
}
module.exports = { ProbeTrigger };
`,
	);
}

/** `npm pack` of `dir` into `dest`: the tarball's path. */
export function npmPack(dir: string, dest: string): string {
	const out = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dest, '--loglevel=error'], {
		cwd: dir,
		encoding: 'utf8',
	});
	return path.join(dest, out.trim().split('\n').pop() ?? '');
}
