// @ts-check
'use strict';
/**
 * The whole sandbox on 127.0.0.1, used by the end-to-end tests and by `npm start`:
 * a real n8n 2.x with this pack installed from its packed tarball as a community package (through a
 * loopback registry), the Graph/Stripe/LLM simulators, credentials pointing at them, the two data tables
 * with the sample catalog, and the shipped template imported and published unchanged but for credential
 * ids and the success/cancel URLs. Customers are played by signed Meta webhooks.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { startRegistry } = require('./registry');
const { startN8n, OWNER } = require('./instance');
const { lineRuntime } = require('./lines');
const { startGraphSim } = require('../sandbox/graph');
const { startStripeSim } = require('../sandbox/stripe');
const { startLlmSim } = require('../sandbox/model');
const { whatsAppCartBody, instagramEditBody, dashboardTestBody } = require('../sandbox/metaWebhooks');
const state = require('./sandboxState');

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE = require(path.join(ROOT, 'package.json'));
/** The shipped template: the conversation (DMs → checkout links) and the payments workflow (Stripe events → chat). */
const TEMPLATES = {
	conversation: path.join(ROOT, 'workflows', 'chat-checkout.json'),
	payments: path.join(ROOT, 'workflows', 'chat-checkout-payments.json'),
};
const SETUP_TEMPLATE = path.join(ROOT, 'workflows', 'chat-checkout-setup.json');

// Sandbox secrets: made up, test mode, loopback only (a kept sandbox has its own, see sandbox-state.js).
const DEFAULT_SECRETS = Object.freeze({
	whatsappToken: 'EAASANDBOX-whatsapp-token',
	instagramToken: 'IGSANDBOX-instagram-token',
	appSecret: crypto.randomBytes(16).toString('hex'),
	verifyToken: 'sandbox-verify-token',
	stripeKey: 'sk_test_sandbox_0000000000000000',
	stripeWebhookSecret: `whsec_${crypto.randomBytes(18).toString('hex')}`,
	llmKey: 'sk-sandbox-llm',
});
const PHONE_NUMBER_ID = '100000000000001';
const IG_ACCOUNT_ID = '17841400000000001';

/** Packs the built pack into `dir` (npm pack: exactly what an operator's n8n would download). */
function packPackage(dir, log) {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		log('building the pack (npm run build) …');
		execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
	}
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
	return path.join(dir, JSON.parse(out)[0].filename);
}

/** Table definitions and sample rows, read from the shipped setup workflow (one source of truth). */
function setupFromTemplate() {
	const setup = JSON.parse(fs.readFileSync(SETUP_TEMPLATE, 'utf8'));
	/** @type {Record<string, Array<{ name: string, type: 'string' | 'number' | 'boolean' | 'date' }>>} */
	const tables = {};
	for (const node of setup.nodes) {
		if (node.type === 'n8n-nodes-base.dataTable' && node.parameters.operation === 'create') {
			tables[node.parameters.tableName] = node.parameters.columns.column;
		}
	}
	// The sample products: one Data Table insert node each, with fixed values.
	const rows = setup.nodes
		.filter((/** @type {any} */ n) => n.type === 'n8n-nodes-base.dataTable' && n.parameters.operation === 'insert')
		.map((/** @type {any} */ n) => ({ ...n.parameters.columns.value }));
	return { tables, rows };
}

/**
 * The template with this sandbox's credential ids, success/cancel pages on the Stripe simulator and,
 * when asked, a shorter reply lease (so a test of a run that died need not wait the shipped 2 minutes).
 */
function templateFor(file, credentialIds, stripeUrl, replyLeaseSeconds) {
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			if (!credentialIds[type]) throw new Error(`template node "${node.name}" needs a ${type} credential the sandbox does not make`);
			node.credentials[type] = { id: credentialIds[type].id, name: credentialIds[type].name };
		}
		if (node.type === 'n8n-nodes-chat-checkout.createStripeCheckout' && node.parameters.successUrl !== undefined) {
			node.parameters.successUrl = `${stripeUrl}/thanks?session_id={CHECKOUT_SESSION_ID}`;
			node.parameters.cancelUrl = `${stripeUrl}/cancelled?session_id={CHECKOUT_SESSION_ID}`;
		}
		if (replyLeaseSeconds !== undefined && node.name === 'Claim reply') {
			const claimed = node.parameters.filters.conditions.find((/** @type {any} */ c) => c.keyName === 'replyClaimedAt');
			const lease = /\$now\.toMillis\(\) - \d+ \* 1000/;
			if (!claimed || !lease.test(claimed.keyValue)) throw new Error('template: "Claim reply" no longer holds its lease as "$now.toMillis() - <seconds> * 1000"');
			claimed.keyValue = claimed.keyValue.replace(lease, `$now.toMillis() - ${Number(replyLeaseSeconds)} * 1000`);
		}
	}
	return workflow;
}

function webhookPath(workflows, type, suffix) {
	const node = workflows.flatMap((/** @type {any} */ w) => w.nodes).find((/** @type {any} */ n) => n.type === `n8n-nodes-chat-checkout.${type}`);
	return `${node.webhookId}/${suffix}`;
}

let sequence = 0;
/** A unique message id shaped like Meta's. */
function nextMessageId(channel) {
	sequence += 1;
	const random = crypto.randomBytes(8).toString('hex');
	return channel === 'whatsapp' ? `wamid.SANDBOX${Date.now()}${sequence}${random}` : `aWdfZAG1faXRlbToxOklH${Date.now()}${sequence}${random}`;
}

/**
 * A customer's WhatsApp message as Meta delivers it; with `reply`, the tap on a reply button of the shop's
 * message `replyTo` (type interactive, button_reply { id, title }).
 * @param {{ from: string, text: string, messageId: string, name?: string, reply?: { id: string, title: string }, replyTo?: string }} m
 */
function whatsAppWebhookBody({ from, text, messageId, name, reply, replyTo }) {
	const message = reply
		? { ...(replyTo ? { context: { from: '15550001111', id: replyTo } } : {}), from, id: messageId, timestamp: String(Math.floor(Date.now() / 1000)), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: reply.id, title: reply.title } } }
		: { from, id: messageId, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } };
	return {
		object: 'whatsapp_business_account',
		entry: [{
			id: '200000000000001',
			changes: [{
				field: 'messages',
				value: {
					messaging_product: 'whatsapp',
					metadata: { display_phone_number: '15550001111', phone_number_id: PHONE_NUMBER_ID },
					contacts: [{ profile: { name }, wa_id: from }],
					messages: [message],
				},
			}],
		}],
	};
}

/**
 * A customer's Instagram message as Meta delivers it; with `reply`, the tap on a quick reply (the message carries
 * the quick reply's title as text and its payload as quick_reply.payload).
 * @param {{ from: string, text: string, messageId: string, reply?: { id: string, title: string } }} m
 */
function instagramWebhookBody({ from, text, messageId, reply }) {
	return {
		object: 'instagram',
		entry: [{
			id: IG_ACCOUNT_ID,
			time: Date.now(),
			messaging: [{ sender: { id: from }, recipient: { id: IG_ACCOUNT_ID }, timestamp: Date.now(), message: reply ? { mid: messageId, text: reply.title, quick_reply: { payload: reply.id } } : { mid: messageId, text } }],
		}],
	};
}

/**
 * @param {{ line?: string, userFolder?: string, port?: number, log?: (line: string) => void, catalogOverride?: any[], n8nEnv?: Record<string, string | undefined>, replyLeaseSeconds?: number, stripeRetryDelaysMs?: number[], keepState?: boolean, owner?: { email: string, firstName: string, lastName: string, password: string }, simulatorPorts?: { graph?: number, stripe?: number, llm?: number }, credentialData?: (type: string, data: Record<string, unknown>) => Record<string, unknown>, editTemplate?: (workflow: any) => void, launchN8n?: typeof startN8n, afterPackageInstalled?: (ctx: { n8n: any, registry: any, tarball: string, log: (line: string) => void }) => Promise<void> }} [opts]
 *   line: the n8n line, '2.40' (default) or '1.123' (default: E2E_N8N_LINE, else 2.40; see lines.js);
 *   n8nEnv: extra environment for the n8n process (e.g. execution-saving or concurrency settings; undefined removes);
 *   replyLeaseSeconds: the template's claim lease for Stripe-event replies (default: as shipped, 120 s);
 *   stripeRetryDelaysMs: the Stripe simulator retries failed deliveries on this schedule (default: no retries);
 *   keepState: reuse what an earlier start left in userFolder (see sandbox-state.js) instead of wiping it;
 *   owner: n8n's owner account (default: the e2e owner); simulatorPorts: fixed ports (default: free ones);
 *   credentialData: last word on each credential's data (e.g. a real model's URL and key);
 *   editTemplate: changes the template before its first import (e.g. the model name);
 *   launchN8n: starts "the n8n" instead of startN8n (queue mode: a whole topology whose handle is its main and
 *   whose webhookUrl is its load balancer; see harness/queue/);
 *   afterPackageInstalled: runs once the pack is installed through the editor's REST call, before credentials
 *   and the template (queue mode: start the webhook and worker processes)
 */
async function startSandbox(opts = {}) {
	const log = opts.log ?? (() => {});
	const started = Date.now();
	/** @type {Array<() => Promise<unknown>>} */
	const stops = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
		stops.length = 0;
	};
	try {
		const line = lineRuntime(opts.line);
		log(`n8n runtime (pinned ${line.label}; the first install takes a few minutes) …`);
		await line.ensure({ log });
		const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-checkout-sandbox-'));
		stops.push(async () => fs.rmSync(work, { recursive: true, force: true }));
		const userFolder = opts.userFolder ?? path.join(work, 'n8n');
		const kept = opts.keepState ? state.loadState(userFolder) : null;
		const SECRETS = kept?.secrets ?? (opts.keepState ? state.freshSecrets() : DEFAULT_SECRETS);
		const tarball = packPackage(work, log);

		const registry = await startRegistry({ dir: path.join(work, 'registry'), verdaccioBin: line.verdaccioBin });
		stops.push(() => registry.stop());
		await registry.publishTarball(tarball);
		// The loopback registry has no uplink: it also serves the pack's runtime dependencies (stripe),
		// as published (npm pack <name>@<pinned version>), for n8n's `npm install` of the package.
		for (const [dependency, version] of Object.entries(PACKAGE.dependencies ?? {})) {
			const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work, `${dependency}@${version}`], { cwd: work, encoding: 'utf8' });
			await registry.publishTarball(path.join(work, JSON.parse(out)[0].filename));
		}
		log(`packed ${path.basename(tarball)} and published it (with its runtime dependencies) to a loopback registry`);

		const graph = await startGraphSim({
			accessTokens: [SECRETS.whatsappToken, SECRETS.instagramToken],
			whatsappNumbers: [{ id: PHONE_NUMBER_ID, display_phone_number: '+1 555 000 1111', verified_name: 'Grand Hotel' }],
			instagramAccounts: [{ id: IG_ACCOUNT_ID, username: 'grandhotel' }],
			port: opts.simulatorPorts?.graph,
		});
		stops.push(() => graph.stop());
		const stripe = await startStripeSim({ secretKeys: [SECRETS.stripeKey], webhookSecret: SECRETS.stripeWebhookSecret, retryDelaysMs: opts.stripeRetryDelaysMs ?? [], port: opts.simulatorPorts?.stripe, accountName: 'Grand Hotel' });
		stops.push(() => stripe.stop());
		const llm = await startLlmSim({ apiKey: SECRETS.llmKey, port: opts.simulatorPorts?.llm });
		stops.push(() => llm.stop());
		log(`simulators: Graph API ${graph.url}, Stripe API ${stripe.url}, model ${llm.baseURL}`);

		if (!kept) fs.rmSync(userFolder, { recursive: true, force: true });
		log(kept ? `starting n8n on the kept state in ${userFolder} …` : 'starting n8n …');
		const n8nOptions = { userFolder, registryUrl: registry.url, ...(opts.port ? { port: opts.port } : {}), ...(opts.n8nEnv ? { env: opts.n8nEnv } : {}), ...(opts.owner ? { owner: opts.owner } : {}) };
		let n8n = await (opts.launchN8n ? opts.launchN8n({ ...n8nOptions, log }) : line.start(n8nOptions));
		stops.push(() => n8n.stop());
		const api = n8n.api;
		await api.ensureOwnerSession();
		const packageSha256 = state.sha256File(tarball);
		const installed = kept ? (await api.listCommunityPackages()).some((/** @type {any} */ p) => p.packageName === PACKAGE.name) : false;
		if (!installed) await api.installCommunityPackage(PACKAGE.name, PACKAGE.version);
		else if (kept?.packageSha256 !== packageSha256) await api.updateCommunityPackage(PACKAGE.name, PACKAGE.version);
		log(`n8n ${n8n.baseUrl} is up with ${PACKAGE.name}@${PACKAGE.version} installed as a community package${installed ? (kept?.packageSha256 !== packageSha256 ? ' (updated to this build)' : ' (kept)') : ''}`);
		if (opts.afterPackageInstalled) await opts.afterPackageInstalled({ n8n, registry, tarball, log });

		const credentialIds = {};
		const credential = async (type, name, given) => {
			const data = opts.credentialData ? opts.credentialData(type, given) : given;
			const earlier = kept?.credentialIds?.[type];
			if (earlier && (await state.updateCredential(api, earlier.id, earlier.name, type, data))) credentialIds[type] = earlier;
			else credentialIds[type] = { id: await api.createCredential(name, type, data), name };
		};
		await credential('chatCheckoutWhatsAppApi', 'WhatsApp Cloud API account', {
			accessToken: SECRETS.whatsappToken, appSecret: SECRETS.appSecret, verifyToken: SECRETS.verifyToken,
			phoneNumberId: PHONE_NUMBER_ID, graphApiVersion: 'v25.0', baseUrl: graph.url,
		});
		await credential('chatCheckoutInstagramApi', 'Instagram Messaging API account', {
			accessToken: SECRETS.instagramToken, appSecret: SECRETS.appSecret, verifyToken: SECRETS.verifyToken,
			accountId: IG_ACCOUNT_ID, graphApiVersion: 'v25.0', baseUrl: graph.url,
		});
		await credential('chatCheckoutStripeApi', 'Stripe Checkout API account', {
			secretKey: SECRETS.stripeKey, webhookSigningSecret: SECRETS.stripeWebhookSecret, previousWebhookSigningSecret: '', baseUrl: stripe.url,
		});
		await credential('openAiApi', 'OpenAI (or compatible) account', { apiKey: SECRETS.llmKey, url: llm.baseURL });

		const setup = setupFromTemplate();
		const tableIds = {};
		const tablesThere = kept ? await state.existingTableIds(api) : new Set();
		for (const [name, columns] of Object.entries(setup.tables)) {
			const earlier = kept?.tableIds?.[name];
			if (earlier && tablesThere.has(earlier)) tableIds[name] = earlier;
			else {
				tableIds[name] = await api.createDataTable(name, columns);
				if (name === 'chat_checkout_catalog') await api.insertRows(tableIds.chat_checkout_catalog, opts.catalogOverride ?? setup.rows);
			}
		}

		// Both workflows of the template: imported on a fresh start, reused when an earlier start left them.
		/** @type {Record<'conversation' | 'payments', string>} */
		const workflowIds = { conversation: '', payments: '' };
		/** @type {Record<'conversation' | 'payments', any>} */
		const workflows = { conversation: null, payments: null };
		for (const which of /** @type {const} */ (['conversation', 'payments'])) {
			const keptWorkflow = kept ? await state.existingWorkflow(api, kept.workflowIds?.[which]) : null;
			if (keptWorkflow) {
				workflows[which] = keptWorkflow;
				workflowIds[which] = String(keptWorkflow.id);
				if (!keptWorkflow.active) log(`workflow ${workflowIds[which]} is not published (unpublished in the editor?): publish it to answer chats`);
				continue;
			}
			workflows[which] = templateFor(line.templates?.[which] ?? TEMPLATES[which], credentialIds, stripe.url, opts.replyLeaseSeconds);
			line.prepareTemplate?.(workflows[which], tableIds);
			if (opts.editTemplate) opts.editTemplate(workflows[which]);
			workflowIds[which] = await api.importWorkflow(workflows[which]);
			await api.publishWorkflow(workflowIds[which]);
		}
		const conversation = workflows.conversation;
		const payments = workflows.payments;
		if (opts.keepState) state.saveState(userFolder, { version: 2, secrets: SECRETS, credentialIds, tableIds, workflowIds, packageSha256 });
		const urls = {
			whatsapp: n8n.webhookUrl(webhookPath([conversation], 'whatsAppTrigger', 'webhook')),
			instagram: n8n.webhookUrl(webhookPath([conversation], 'instagramTrigger', 'webhook')),
			stripe: n8n.webhookUrl(webhookPath([payments], 'stripeWebhookVerify', 'stripe')),
		};
		stripe.setWebhookUrl(urls.stripe);
		log(`workflows ${workflowIds.conversation} (conversation) and ${workflowIds.payments} (payments) ready in ${Math.round((Date.now() - started) / 1000)} s`);

		/** Signs and posts a Meta webhook body to a trigger, as Meta does. */
		const postMeta = async (channel, body, o = {}) => {
			const raw = typeof body === 'string' ? body : JSON.stringify(body);
			const signature = `sha256=${crypto.createHmac('sha256', o.secret ?? SECRETS.appSecret).update(raw).digest('hex')}`;
			const headers = { 'content-type': 'application/json', ...(o.signature === null ? {} : { 'x-hub-signature-256': o.signature ?? signature }) };
			const response = await fetch(urls[channel], { method: 'POST', headers, body: raw });
			return { status: response.status, responseBody: await response.text() };
		};

		const sandbox = {
			// workflowId: the conversation workflow (DM runs); workflowIds: both workflows of the template.
			n8n, api, graph, stripe, llm, registry, workflowId: workflowIds.conversation, workflowIds, urls, tableIds, secrets: SECRETS, owner: opts.owner ?? OWNER,
			accounts: { phoneNumberId: PHONE_NUMBER_ID, instagramAccountId: IG_ACCOUNT_ID },
			postMeta,
			/**
			 * A customer writes. Returns the delivery's status and the message id, so a test can redeliver it.
			 * @param {'whatsapp' | 'instagram'} channel
			 * @param {string} text
			 * @param {{ from?: string, messageId?: string, name?: string, reply?: { id: string, title: string }, replyTo?: string }} [o]
			 *   reply: the customer taps a reply button / quick reply { id (its payload), title } instead of typing
			 *   (`text` is then ignored); replyTo: the shop's message id the button belongs to (WhatsApp context)
			 */
			async customerSays(channel, text, o = {}) {
				const messageId = o.messageId ?? nextMessageId(channel);
				const from = o.from ?? (channel === 'whatsapp' ? '4915112345678' : '7000000000000001');
				const body = channel === 'whatsapp'
					? whatsAppWebhookBody({ from, text, messageId, name: o.name ?? 'Ada', reply: o.reply, replyTo: o.replyTo })
					: instagramWebhookBody({ from, text, messageId, reply: o.reply });
				const delivery = await postMeta(channel, body);
				return { ...delivery, messageId, from, body };
			},
			/**
			 * A WhatsApp customer sends a cart from the business's catalog (message type order; the price in it
			 * is informative only). Returns the delivery's status and the message id, as customerSays does.
			 * @param {import('../sandbox/metaWebhooks').CartItemSpec[]} items  { retailerId, quantity, price?, currency? }
			 * @param {{ from?: string, messageId?: string, name?: string, text?: string }} [o]  text: the note sent with the cart
			 */
			async customerSendsCart(items, o = {}) {
				const messageId = o.messageId ?? nextMessageId('whatsapp');
				const from = o.from ?? '4915112345678';
				const body = whatsAppCartBody({ from, messageId, items, text: o.text, name: o.name ?? 'Ada', phoneNumberId: PHONE_NUMBER_ID });
				const delivery = await postMeta('whatsapp', body);
				return { ...delivery, messageId, from, body };
			},
			/**
			 * An Instagram customer edits a message sent earlier (message_edit: the original mid, the new text).
			 * @param {string} messageId  The mid customerSays returned.
			 * @param {string} text
			 * @param {{ from?: string, numEdit?: number }} [o]  numEdit: 1 for the first edit (default), 2 for the second …
			 */
			async customerEdits(messageId, text, o = {}) {
				const from = o.from ?? '7000000000000001';
				const body = instagramEditBody({ from, messageId, text, numEdit: o.numEdit ?? 1, accountId: IG_ACCOUNT_ID });
				const delivery = await postMeta('instagram', body);
				return { ...delivery, messageId, from, body };
			},
			/** Meta's App Dashboard "Test" button: its fixed sample, signed with the app secret, to a trigger. */
			async dashboardTest(channel) {
				return await postMeta(channel, dashboardTestBody(channel));
			},
			/** Order rows as n8n's Data Table holds them. */
			async orders() {
				return (await sandbox.api.listRows(tableIds.chat_checkout_orders, { take: 250 })).data;
			},
			/** Chat rows (one per customer: the pending order and the open link). */
			async chats() {
				return (await sandbox.api.listRows(tableIds.chat_checkout_chats, { take: 250 })).data;
			},
			/** SIGKILL to n8n and its task runner (no shutdown of any kind), then waits until its port is closed. */
			async killN8n() {
				process.kill(-n8n.pid, 'SIGKILL');
				const deadline = Date.now() + 10_000;
				while (Date.now() < deadline) {
					const answering = await fetch(`${n8n.baseUrl}healthz`, { signal: AbortSignal.timeout(500) }).then(() => true, () => false);
					if (!answering) return;
					await new Promise((resolve) => setTimeout(resolve, 50));
				}
				throw new Error('n8n still answers 10 s after SIGKILL');
			},
			/** Starts n8n again on the same user folder and port (after killN8n, or a clean stop first). */
			async restartN8n() {
				n8n = await n8n.restart();
				sandbox.n8n = n8n;
				sandbox.api = n8n.api;
				await n8n.api.ensureOwnerSession();
				return n8n;
			},
			stop: stopAll,
		};
		return sandbox;
	} catch (error) {
		await stopAll();
		throw error;
	}
}

module.exports = { startSandbox, SECRETS: DEFAULT_SECRETS, PHONE_NUMBER_ID, IG_ACCOUNT_ID, whatsAppWebhookBody, instagramWebhookBody, nextMessageId };
