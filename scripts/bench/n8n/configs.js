// @ts-check
'use strict';
const { RECOMMENDED_N8N_ENV } = require('../../../tools/n8n/recommendedSettings');
/**
 * The n8n configurations the burst runs under (each in a fresh sandbox). `env` goes to the n8n process;
 * `workflowSettings` is applied to the imported template through the REST API (then republished), for
 * settings the template itself pins, which an environment variable does not override.
 */

/**
 * @typedef {object} BurstConfig
 * @property {string} key
 * @property {string} label
 * @property {Record<string, string>} env
 * @property {Record<string, unknown>} [workflowSettings]
 * @property {number} [webhookNodeTypeVersion]  diagnostic: our webhook nodes as this typeVersion
 * @property {string[]} [ingressTargets]  the ingress targets measured under it (default: all of BENCH_INGRESS_TARGETS)
 */

/** Targets for the configurations that only compare n8n settings. */
const SETTINGS_TARGETS = ['bare', 'ours', 'oursStripe', 'code'];

/** @type {Record<string, BurstConfig>} */
const CONFIGS = {
	defaults: { key: 'defaults', label: 'n8n defaults', env: {} },
	// What the README recommends (scripts/recommended-n8n-settings.js); the sandbox runs with it too.
	recommended: { key: 'recommended', label: `recommended: ${Object.entries(RECOMMENDED_N8N_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}`, env: { ...RECOMMENDED_N8N_ENV } },
	// An expression isolate only when an expression really needs one (default: one per execution and per
	// credential use, each a fresh isolated-vm bridge once the pool of 1 is taken).
	lazy: { key: 'lazy', label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' }, ingressTargets: SETTINGS_TARGETS },
	// n8n 1.x's engine: expressions in the main process, no isolates at all.
	legacy: { key: 'legacy', label: 'N8N_EXPRESSION_ENGINE=legacy', env: { N8N_EXPRESSION_ENGINE: 'legacy' }, ingressTargets: SETTINGS_TARGETS },
	// More warm isolates: fewer cold starts when several calls want one at once.
	pool4: { key: 'pool4', label: 'N8N_EXPRESSION_ENGINE_POOL_SIZE=4', env: { N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' }, ingressTargets: SETTINGS_TARGETS },
	lazyPool4: { key: 'lazyPool4', label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, N8N_EXPRESSION_ENGINE_POOL_SIZE=4', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true', N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' }, ingressTargets: SETTINGS_TARGETS },
	// The template pins saveDataSuccessExecution 'all' in its settings, which wins over the env variable.
	nosave: {
		key: 'nosave',
		label: 'successful executions not saved',
		env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' },
		workflowSettings: { saveDataSuccessExecution: 'none' },
	},
	limit: { key: 'limit', label: 'N8N_CONCURRENCY_PRODUCTION_LIMIT=4', env: { N8N_CONCURRENCY_PRODUCTION_LIMIT: '4' } },
	// Diagnostic: the template's webhook nodes set back to version 1, as workflows made before version 2 have them
	// (n8n then evaluates `={{$parameter["options"]["binaryData"]}}` in an isolate on every request).
	v1: {
		key: 'v1',
		label: 'our webhook nodes as version 1 (diagnostic)',
		env: {},
		webhookNodeTypeVersion: 1,
	},
};

/** Our webhook nodes (their requests go through n8n's webhook path). */
const WEBHOOK_NODE_TYPES = ['whatsAppTrigger', 'instagramTrigger', 'stripeWebhookVerify'].map((t) => `n8n-nodes-chat-checkout.${t}`);

/**
 * Merges `settings` into the imported template's settings and/or sets our webhook nodes' typeVersion,
 * then publishes the new version. Returns what the workflow holds afterwards.
 * @param {any} api  N8nApi
 * @param {string} workflowId
 * @param {{ settings?: Record<string, unknown>, webhookNodeTypeVersion?: number }} patch
 */
async function patchWorkflow(api, workflowId, patch) {
	const w = await api.getWorkflow(workflowId);
	/** @type {Record<string, unknown>} */
	const body = { versionId: w.versionId };
	if (patch.settings) body.settings = { ...(w.settings ?? {}), ...patch.settings };
	if (patch.webhookNodeTypeVersion) {
		body.nodes = w.nodes.map((/** @type {any} */ n) => (WEBHOOK_NODE_TYPES.includes(n.type) ? { ...n, typeVersion: patch.webhookNodeTypeVersion } : n));
		body.connections = w.connections;
	}
	await api.request('PATCH', `/workflows/${workflowId}`, { body });
	await api.publishWorkflow(workflowId);
	const after = await api.getWorkflow(workflowId);
	return {
		settings: after.settings,
		webhookNodeTypeVersions: Object.fromEntries(after.nodes.filter((/** @type {any} */ n) => WEBHOOK_NODE_TYPES.includes(n.type)).map((/** @type {any} */ n) => [n.name, n.typeVersion])),
	};
}

module.exports = { CONFIGS, patchWorkflow };
