/**
 * The whole sandbox on 127.0.0.1, used by the end-to-end tests and by `npm start`:
 * a real n8n 2.x with this pack installed from its packed tarball as a community package (through a
 * loopback registry), the Graph/Stripe/LLM simulators, credentials pointing at them, the two data tables
 * with the sample catalog, and the shipped template imported and published unchanged but for credential
 * ids and the success/cancel URLs. Customers are played by signed Meta webhooks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startRegistry, type Registry } from './registry';
import { OWNER, type N8nHandle, type StartN8nOptions } from './instance';
import type { N8nJson, Owner, WorkflowJson } from './api';
import { lineRuntime } from './lines';
import { startGraphSim } from '../sandbox/graph';
import { startStripeSim } from '../sandbox/stripe';
import { startLlmSim } from '../sandbox/model';
import { whatsAppCartBody, instagramEditBody, dashboardTestBody, postMetaWebhook, type CartItemSpec } from '../sandbox/metaWebhooks';
import * as state from './sandboxState';
import { packPackage, setupFromTemplate, templateFor, webhookPath, TEMPLATES, type CredentialIds } from './sandboxTemplate';
import { PHONE_NUMBER_ID, IG_ACCOUNT_ID, nextMessageId, whatsAppWebhookBody, instagramWebhookBody, type ReplyTap } from './customerMessages';
import { eventuallyOrUndefined } from '../wait';

export { PHONE_NUMBER_ID, IG_ACCOUNT_ID, nextMessageId, whatsAppWebhookBody, instagramWebhookBody };

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };

// Sandbox secrets: made up, test mode, loopback only (a kept sandbox has its own, see sandboxState.ts).
export const SECRETS = Object.freeze(state.freshSecrets());
const DEFAULT_SECRETS = SECRETS;

type Channel = 'whatsapp' | 'instagram';
type TemplateWorkflow = 'conversation' | 'payments';

export interface SandboxOptions {
	/** the n8n line, '2.40' (default) or '1.123' (default: E2E_N8N_LINE, else 2.40; see lines.ts) */
	line?: string;
	userFolder?: string;
	port?: number;
	log?: (line: string) => void;
	catalogOverride?: Array<Record<string, string | number | boolean | null>>;
	/** extra environment for the n8n process (e.g. execution-saving or concurrency settings; undefined removes) */
	n8nEnv?: Record<string, string | undefined>;
	/** the template's claim lease for Stripe-event replies (default: as shipped, 120 s) */
	replyLeaseSeconds?: number;
	/** the Stripe simulator retries failed deliveries on this schedule (default: no retries) */
	stripeRetryDelaysMs?: number[];
	/** reuse what an earlier start left in userFolder (see sandboxState.ts) instead of wiping it */
	keepState?: boolean;
	/** n8n's owner account (default: the e2e owner) */
	owner?: Owner;
	/** fixed ports (default: free ones) */
	simulatorPorts?: { graph?: number; stripe?: number; llm?: number };
	/** last word on each credential's data (e.g. a real model's URL and key) */
	credentialData?: (type: string, data: Record<string, unknown>) => Record<string, unknown>;
	/** changes the template before its first import (e.g. the model name) */
	editTemplate?: (workflow: WorkflowJson) => void;
	/**
	 * starts "the n8n" instead of startN8n (queue mode: a whole topology whose handle is its main and whose
	 * webhookUrl is its load balancer; see queue/)
	 */
	launchN8n?: (opts: StartN8nOptions) => Promise<N8nHandle>;
	/**
	 * runs once the pack is installed through the editor's REST call, before credentials and the template
	 * (queue mode: start the webhook and worker processes)
	 */
	afterPackageInstalled?: (ctx: { n8n: N8nHandle; registry: Registry; tarball: string; log: (line: string) => void }) => Promise<void>;
}

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export async function startSandbox(opts: SandboxOptions = {}) {
	const log = opts.log ?? (() => {});
	const started = Date.now();
	const stops: Array<() => Promise<unknown>> = [];
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
		const n8nOptions: StartN8nOptions = { userFolder, registryUrl: registry.url, ...(opts.port ? { port: opts.port } : {}), ...(opts.n8nEnv ? { env: opts.n8nEnv } : {}), ...(opts.owner ? { owner: opts.owner } : {}) };
		let n8n = await (opts.launchN8n ? opts.launchN8n({ ...n8nOptions, log }) : line.start(n8nOptions));
		stops.push(() => n8n.stop());
		const api = n8n.api;
		await api.ensureOwnerSession();
		const packageSha256 = state.sha256File(tarball);
		const installed = kept ? (await api.listCommunityPackages()).some((p: { packageName: string }) => p.packageName === PACKAGE.name) : false;
		if (!installed) await api.installCommunityPackage(PACKAGE.name, PACKAGE.version);
		else if (kept?.packageSha256 !== packageSha256) await api.updateCommunityPackage(PACKAGE.name, PACKAGE.version);
		log(`n8n ${n8n.baseUrl} is up with ${PACKAGE.name}@${PACKAGE.version} installed as a community package${installed ? (kept?.packageSha256 !== packageSha256 ? ' (updated to this build)' : ' (kept)') : ''}`);
		if (opts.afterPackageInstalled) await opts.afterPackageInstalled({ n8n, registry, tarball, log });

		const credentialIds: CredentialIds = {};
		const credential = async (type: string, name: string, given: Record<string, unknown>) => {
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
		const tableIds: Record<string, string> = {};
		const tablesThere = kept ? await state.existingTableIds(api) : new Set<string>();
		for (const [name, columns] of Object.entries(setup.tables)) {
			const earlier = kept?.tableIds?.[name];
			if (earlier && tablesThere.has(earlier)) tableIds[name] = earlier;
			else {
				tableIds[name] = await api.createDataTable(name, columns);
				if (name === 'chat_checkout_catalog') await api.insertRows(tableIds.chat_checkout_catalog, opts.catalogOverride ?? setup.rows);
			}
		}

		// Both workflows of the template: imported on a fresh start, reused when an earlier start left them.
		const workflowIds: Record<TemplateWorkflow, string> = { conversation: '', payments: '' };
		const workflows: Record<TemplateWorkflow, WorkflowJson | null> = { conversation: null, payments: null };
		for (const which of ['conversation', 'payments'] as const) {
			const keptWorkflow = kept ? await state.existingWorkflow(api, kept.workflowIds?.[which]) : null;
			if (keptWorkflow) {
				workflows[which] = keptWorkflow;
				workflowIds[which] = String(keptWorkflow.id);
				if (!keptWorkflow.active) log(`workflow ${workflowIds[which]} is not published (unpublished in the editor?): publish it to answer chats`);
				continue;
			}
			const workflow = templateFor(line.templates?.[which] ?? TEMPLATES[which], credentialIds, stripe.url, opts.replyLeaseSeconds);
			workflows[which] = workflow;
			line.prepareTemplate?.(workflow, tableIds);
			if (opts.editTemplate) opts.editTemplate(workflow);
			workflowIds[which] = await api.importWorkflow(workflow);
			await api.publishWorkflow(workflowIds[which]);
		}
		// Both are set by the loop above (kept or imported).
		const { conversation, payments } = workflows as Record<TemplateWorkflow, WorkflowJson>;
		if (opts.keepState) state.saveState(userFolder, { version: 2, secrets: SECRETS, credentialIds, tableIds, workflowIds, packageSha256 });
		const urls = {
			whatsapp: n8n.webhookUrl(webhookPath([conversation], 'whatsAppTrigger', 'webhook')),
			instagram: n8n.webhookUrl(webhookPath([conversation], 'instagramTrigger', 'webhook')),
			stripe: n8n.webhookUrl(webhookPath([payments], 'stripeWebhookVerify', 'stripe')),
		};
		stripe.setWebhookUrl(urls.stripe);
		log(`workflows ${workflowIds.conversation} (conversation) and ${workflowIds.payments} (payments) ready in ${Math.round((Date.now() - started) / 1000)} s`);

		/** Signs and posts a Meta webhook body to a trigger, as Meta does. */
		const postMeta = (channel: Channel, body: unknown, o: { secret?: string; signature?: string | null } = {}) =>
			postMetaWebhook(urls[channel], body, { ...o, secret: o.secret ?? SECRETS.appSecret });

		const sandbox = {
			// workflowId: the conversation workflow (DM runs); workflowIds: both workflows of the template.
			n8n, api, graph, stripe, llm, registry, workflowId: workflowIds.conversation, workflowIds, urls, tableIds, secrets: SECRETS, owner: opts.owner ?? OWNER,
			accounts: { phoneNumberId: PHONE_NUMBER_ID, instagramAccountId: IG_ACCOUNT_ID },
			postMeta,
			/**
			 * A customer writes. Returns the delivery's status and the message id, so a test can redeliver it.
			 * o.reply: the customer taps a reply button / quick reply { id (its payload), title } instead of typing
			 * (`text` is then ignored); o.replyTo: the shop's message id the button belongs to (WhatsApp context)
			 */
			async customerSays(channel: Channel, text: string, o: { from?: string; messageId?: string; name?: string; reply?: ReplyTap; replyTo?: string } = {}) {
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
			 * is informative only): items { retailerId, quantity, price?, currency? }, o.text the note sent with
			 * the cart. Returns the delivery's status and the message id, as customerSays does.
			 */
			async customerSendsCart(items: CartItemSpec[], o: { from?: string; messageId?: string; name?: string; text?: string } = {}) {
				const messageId = o.messageId ?? nextMessageId('whatsapp');
				const from = o.from ?? '4915112345678';
				const body = whatsAppCartBody({ from, messageId, items, text: o.text, name: o.name ?? 'Ada', phoneNumberId: PHONE_NUMBER_ID });
				const delivery = await postMeta('whatsapp', body);
				return { ...delivery, messageId, from, body };
			},
			/**
			 * An Instagram customer edits a message sent earlier (message_edit: `messageId` is the mid customerSays
			 * returned, `text` the new text; o.numEdit: 1 for the first edit (default), 2 for the second …).
			 */
			async customerEdits(messageId: string, text: string, o: { from?: string; numEdit?: number } = {}) {
				const from = o.from ?? '7000000000000001';
				const body = instagramEditBody({ from, messageId, text, numEdit: o.numEdit ?? 1, accountId: IG_ACCOUNT_ID });
				const delivery = await postMeta('instagram', body);
				return { ...delivery, messageId, from, body };
			},
			/** Meta's App Dashboard "Test" button: its fixed sample, signed with the app secret, to a trigger. */
			async dashboardTest(channel: Channel) {
				return await postMeta(channel, dashboardTestBody(channel));
			},
			/** Order rows as n8n's Data Table holds them. */
			async orders(): Promise<N8nJson[]> {
				return (await sandbox.api.listRows(tableIds.chat_checkout_orders, { take: 250 })).data;
			},
			/** Chat rows (one per customer: the pending order and the open link). */
			async chats(): Promise<N8nJson[]> {
				return (await sandbox.api.listRows(tableIds.chat_checkout_chats, { take: 250 })).data;
			},
			/** SIGKILL to n8n and its task runner (no shutdown of any kind), then waits until its port is closed. */
			async killN8n() {
				process.kill(-n8n.pid, 'SIGKILL');
				const closed = async () => !(await fetch(`${n8n.baseUrl}healthz`, { signal: AbortSignal.timeout(500) }).then(() => true, () => false));
				if (!(await eventuallyOrUndefined('n8n to stop answering after SIGKILL', closed, { timeoutMs: 10_000, intervalMs: 50 }))) {
					throw new Error('n8n still answers 10 s after SIGKILL');
				}
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
