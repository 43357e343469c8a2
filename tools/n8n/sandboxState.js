// @ts-check
'use strict';
/**
 * What `npm start` keeps between starts (startSandbox({ keepState: true })): n8n's user folder as it is
 * (database with credentials, data tables, workflows and executions; the installed pack) and, beside it,
 * a small state file naming what the sandbox made there — its secrets, credential, table and workflow ids,
 * and the checksum of the pack it installed. The end-to-end tests never keep state: each run gets a fresh
 * temporary folder.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const STATE_FILE = 'chat-checkout-sandbox.json';
const STATE_VERSION = 2; // 2: the template is two workflows

/**
 * @typedef {object} SandboxSecrets  Made up, test mode, loopback only.
 * @property {string} whatsappToken
 * @property {string} instagramToken
 * @property {string} appSecret
 * @property {string} verifyToken
 * @property {string} stripeKey
 * @property {string} stripeWebhookSecret
 * @property {string} llmKey
 */

/**
 * @typedef {object} SandboxState
 * @property {number} version
 * @property {SandboxSecrets} secrets
 * @property {Record<string, { id: string, name: string }>} credentialIds  by credential type
 * @property {Record<string, string>} tableIds                             by table name
 * @property {{ conversation?: string, payments?: string }} [workflowIds]
 * @property {string} [packageSha256]                                       of the tarball last installed
 */

/** Fresh sandbox secrets: the fixed made-up tokens, a random app secret and Stripe endpoint secret. @returns {SandboxSecrets} */
function freshSecrets() {
	return {
		whatsappToken: 'EAASANDBOX-whatsapp-token',
		instagramToken: 'IGSANDBOX-instagram-token',
		appSecret: crypto.randomBytes(16).toString('hex'),
		verifyToken: 'sandbox-verify-token',
		stripeKey: 'sk_test_sandbox_0000000000000000',
		stripeWebhookSecret: `whsec_${crypto.randomBytes(18).toString('hex')}`,
		llmKey: 'sk-sandbox-llm',
	};
}

/** @param {string} userFolder */
const stateFile = (userFolder) => path.join(userFolder, STATE_FILE);

/**
 * The state an earlier start left in `userFolder`, or null (none, unreadable, or from another layout).
 * @param {string} userFolder
 * @returns {SandboxState | null}
 */
function loadState(userFolder) {
	try {
		const state = JSON.parse(fs.readFileSync(stateFile(userFolder), 'utf8'));
		return state && state.version === STATE_VERSION && state.secrets && state.secrets.appSecret ? state : null;
	} catch {
		return null;
	}
}

/** Written owner-only: it holds the sandbox's (made-up) secrets. @param {string} userFolder @param {SandboxState} state */
function saveState(userFolder, state) {
	fs.mkdirSync(userFolder, { recursive: true });
	const file = stateFile(userFolder);
	fs.writeFileSync(`${file}.tmp`, `${JSON.stringify({ ...state, version: STATE_VERSION }, null, 2)}\n`, { mode: 0o600 });
	fs.renameSync(`${file}.tmp`, file);
}

/** @param {string} file */
function sha256File(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Points an existing credential at this start's data (the simulators' ports, or a real service from the
 * environment). False when the credential is gone (deleted in the editor): the caller makes a new one.
 * @param {any} api  N8nApi
 * @param {string} id @param {string} name @param {string} type @param {Record<string, unknown>} data
 */
async function updateCredential(api, id, name, type, data) {
	try {
		await api.request('PATCH', `/credentials/${id}`, { body: { name, type, data } });
		return true;
	} catch (error) {
		if (error && (/** @type {any} */ (error).status === 404 || /** @type {any} */ (error).status === 403)) return false;
		throw error;
	}
}

/** Ids of the data tables that still exist in the owner's project. @param {any} api @returns {Promise<Set<string>>} */
async function existingTableIds(api) {
	const list = await api.listDataTables();
	const rows = Array.isArray(list) ? list : (list?.data ?? []);
	return new Set(rows.map((/** @type {any} */ t) => String(t.id)));
}

/** The stored workflow, or null when it was deleted. @param {any} api @param {string | undefined} id */
async function existingWorkflow(api, id) {
	if (!id) return null;
	try {
		const workflow = await api.getWorkflow(id);
		return workflow && !workflow.isArchived ? workflow : null;
	} catch (error) {
		if (error && [400, 403, 404].includes(/** @type {any} */ (error).status)) return null;
		throw error;
	}
}

module.exports = { freshSecrets, loadState, saveState, sha256File, updateCredential, existingTableIds, existingWorkflow, STATE_FILE };
