// @ts-check
'use strict';
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
 */

/** @type {Record<string, BurstConfig>} */
const CONFIGS = {
	defaults: { key: 'defaults', label: 'n8n defaults', env: {} },
	// An expression isolate only when an expression really needs one (default: one per execution and per
	// credential use, each a fresh isolated-vm bridge once the pool of 1 is taken).
	lazy: { key: 'lazy', label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
	// The template pins saveDataSuccessExecution 'all' in its settings, which wins over the env variable.
	nosave: {
		key: 'nosave',
		label: 'successful executions not saved',
		env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' },
		workflowSettings: { saveDataSuccessExecution: 'none' },
	},
	limit: { key: 'limit', label: 'N8N_CONCURRENCY_PRODUCTION_LIMIT=4', env: { N8N_CONCURRENCY_PRODUCTION_LIMIT: '4' } },
	// Diagnostic of a fix in the pack: n8n evaluates `={{$parameter["options"]["binaryData"]}}` on every
	// request to a version-1 webhook node (an isolate even with lazy acquisition, and one a Stripe
	// delivery holds until its run ends); from version 2 on it does not. Our nodes declare version 1 only,
	// which n8n serves for any typeVersion, so the template's nodes are set to 2 here.
	lazyV2: {
		key: 'lazyV2',
		label: 'lazy isolates + our webhook nodes as typeVersion 2 (diagnostic)',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
		webhookNodeTypeVersion: 2,
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
