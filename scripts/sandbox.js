// @ts-check
'use strict';
/**
 * The main job (`npm start`): the whole sandbox on 127.0.0.1 — a real n8n with this pack installed as a
 * community package and the template published, the Graph, Stripe and model simulators, and a chat page where
 * you are the customer — then it keeps running for you to explore.
 *
 * State is kept in .sandbox/n8n between starts (n8n's database: credentials, data tables, the workflows and their
 * executions; the sandbox's secrets). `npm start -- --reset` (or SANDBOX_RESET=1) starts from scratch.
 * SANDBOX_MODEL_URL / SANDBOX_STRIPE_SECRET_KEY switch to real services (tools/sandbox/services.ts).
 * SANDBOX_EXIT_AFTER_DEMO=1 plays the sample conversations, then stops (used to check this script).
 */
// The simulators and the n8n harness under tools/ are TypeScript.
require('../tools/register');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { startSandbox } = require('../tools/n8n/sandbox');
const { startChatPage } = require('../tools/sandbox/chat/server');
const { servicesFromEnv } = require('../tools/sandbox/services');
// n8n runs with the settings the README recommends (the bench measured them).
const { RECOMMENDED_N8N_ENV } = require('../tools/n8n/recommendedSettings');

const ROOT = path.resolve(__dirname, '..');
const USER_FOLDER = path.join(ROOT, '.sandbox', 'n8n');
/** The owner of the sandbox's n8n: plainly a sandbox account (the .localhost domain never leaves this machine). */
const SANDBOX_OWNER = Object.freeze({ email: 'sandbox@chat-checkout.localhost', firstName: 'Sandbox', lastName: 'Owner', password: 'Sandbox-Passw0rd' });
/** Fixed ports when free, so printed and bookmarked addresses stay valid across starts. */
const PREFERRED_PORTS = { n8n: 5678, chat: 5680, graph: 5681, stripe: 5682, llm: 5683 };

const bold = (/** @type {string} */ s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (/** @type {string} */ s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const say = (/** @type {string} */ s) => process.stdout.write(`${s}\n`);

/** @param {number} port */
function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** @param {number} port @returns {Promise<number | undefined>} */
const preferred = async (port) => ((await portIsFree(port)) ? port : undefined);

/** One line for the terminal about a chat entry (the page shows it in full). @param {any} entry */
function describeEntry(entry) {
	const channel = entry.channel === 'whatsapp' ? 'WhatsApp' : 'Instagram';
	if (entry.from === 'customer') return `  ${bold(`customer ${entry.customer} (${channel})`)}: ${entry.reply ? `[tapped “${entry.text}”]` : entry.text}${entry.status === 200 ? '' : ` — n8n answered ${entry.status}`}`;
	const body = entry.body ?? {};
	const it = body.interactive;
	const payload = body.message?.attachment?.payload;
	let text = body.text?.body ?? it?.body?.text ?? payload?.text ?? body.message?.text ?? (body.template ? `[template ${body.template.name}]` : '');
	const link = it?.action?.parameters?.url ?? payload?.buttons?.find((/** @type {any} */ b) => b.url)?.url;
	if (link) text += `\n      [ ${it?.action?.parameters?.display_text ?? payload.buttons[0].title} ↗ ] ${link}`;
	const choices = (it?.action?.buttons ?? []).map((/** @type {any} */ b) => b.reply?.title).concat((body.message?.quick_replies ?? []).map((/** @type {any} */ q) => q.title)).filter(Boolean);
	if (choices.length) text += `\n      ${choices.map((/** @type {string} */ c) => `[ ${c} ]`).join(' ')}`;
	return `  ${bold(`shop → ${entry.customer} (${channel})`)}: ${text}`;
}

/**
 * The sample conversations, played through the chat page so they show there too: a booking where the shop asks
 * for the dates, and a subscription chosen with a tap on the offer's buttons.
 * @param {any} sandbox @param {any} chat
 */
async function playConversations(sandbox, chat) {
	const sessionOf = (/** @type {any} */ send) => send.urls[0].slice(send.urls[0].lastIndexOf('/') + 1);
	const nextReply = async (/** @type {string} */ customer, /** @type {number} */ n) =>
		(await sandbox.graph.waitForSends(n, { to: customer, timeoutMs: 60_000 }))[n - 1];
	say(`\n${bold('Sample conversation 1 — WhatsApp, a hotel booking over a few messages')}`);
	const ada = '4915112345678';
	await chat.say('whatsapp', ada, 'Hi! I would like to book the deluxe room', { name: 'Ada' });
	await nextReply(ada, 1); // which dates?
	await chat.say('whatsapp', ada, 'June 15-17 please', { name: 'Ada' });
	const link = await nextReply(ada, 2);
	say(dim('  … Ada pays on the sandbox checkout page; Stripe sends a signed checkout.session.completed'));
	await sandbox.stripe.pay(sessionOf(link));
	await nextReply(ada, 3);

	say(`\n${bold('Sample conversation 2 — Instagram, a monthly subscription chosen with a tap')}`);
	const ben = '7000000000000042';
	await chat.say('instagram', ben, 'Hello!');
	const offer = await nextReply(ben, 1);
	const plan = (offer.body.message?.quick_replies ?? []).find((/** @type {any} */ q) => q.payload === 'product:saas-pro-monthly');
	await chat.tap('instagram', ben, { id: plan.payload, title: plan.title });
	const subscription = await nextReply(ben, 2);
	say(dim('  … Ben subscribes; Stripe sends checkout.session.completed and invoice.paid'));
	await sandbox.stripe.pay(sessionOf(subscription));
	await nextReply(ben, 3);
	await new Promise((resolve) => setTimeout(resolve, 200)); // the last send's line is printed by then
}

/** @param {any} sandbox @param {any} chat @param {import('../tools/sandbox/services').SandboxServices} services */
function printHowToExplore(sandbox, chat, services) {
	say(`\n${bold('The sandbox is running.')}`);
	say(`  ${bold('Chat as a customer:')}  ${chat.url}   (one customer per tab; “New customer” starts another)`);
	say(`  n8n editor:          ${sandbox.n8n.baseUrl}workflow/${sandbox.workflowId}   login ${sandbox.owner.email} / ${sandbox.owner.password}`);
	say(`                       (the conversation; Stripe's events run in ${sandbox.n8n.baseUrl}workflow/${sandbox.workflowIds.payments})`);
	say(`  Stripe sandbox:      ${sandbox.stripe.url}/   (every checkout session; its page has Pay / Expire / Fail)`);
	say(`  Stripe webhook URL:  ${sandbox.urls.stripe}`);
	for (const line of services.describe) say(`  ${line}`);
	say(`  State:               ${path.relative(ROOT, USER_FOLDER)} keeps credentials, data tables (catalog, orders, chats), the workflows and their executions;`);
	say(`                       the chat page's history and the sandbox's checkout sessions live in memory. ${bold('npm start -- --reset')} starts from scratch.`);
	say(`  n8n log: ${path.relative(ROOT, sandbox.n8n.logFile)}     Stop with Ctrl+C.\n`);
}

async function main() {
	const started = Date.now();
	const reset = process.argv.includes('--reset') || process.env.SANDBOX_RESET === '1';
	const services = servicesFromEnv(process.env);
	say(bold('n8n-nodes-chat-checkout sandbox') + dim(services.model || services.stripe ? ' — on 127.0.0.1, with the real services you configured' : ' — everything on 127.0.0.1; no real Meta, Stripe or OpenAI account is used'));
	if (reset) {
		say(`› --reset: removing ${path.relative(ROOT, USER_FOLDER)}`);
		fs.rmSync(USER_FOLDER, { recursive: true, force: true });
	}
	const fresh = !fs.existsSync(path.join(USER_FOLDER, 'chat-checkout-sandbox.json'));
	const sandbox = await startSandbox({
		userFolder: USER_FOLDER,
		keepState: true,
		owner: SANDBOX_OWNER,
		port: await preferred(PREFERRED_PORTS.n8n),
		simulatorPorts: { graph: await preferred(PREFERRED_PORTS.graph), stripe: await preferred(PREFERRED_PORTS.stripe), llm: await preferred(PREFERRED_PORTS.llm) },
		credentialData: services.credentialData,
		editTemplate: services.editTemplate,
		n8nEnv: { ...RECOMMENDED_N8N_ENV, ...services.n8nEnv },
		log: (/** @type {string} */ line) => say(`› ${line}`),
	});
	const chat = await startChatPage({ sandbox, port: await preferred(PREFERRED_PORTS.chat), log: (line) => say(`› ${line}`) });
	sandbox.stripe.setChatPageUrl(chat.url);
	chat.onEntry((entry) => say(describeEntry(entry)));
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('\nstopping n8n and the simulators …');
		await chat.stop();
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	say(`› ready in ${Math.round((Date.now() - started) / 1000)} s`);

	// The samples on a fresh sandbox only: a kept one already has its orders and executions.
	if ((fresh || process.env.SANDBOX_EXIT_AFTER_DEMO === '1') && !services.model && !services.stripe) await playConversations(sandbox, chat);
	if (process.env.SANDBOX_EXIT_AFTER_DEMO === '1') return stop();
	printHowToExplore(sandbox, chat, services);
	return undefined;
}

main().catch((error) => {
	process.stderr.write(`\nThe sandbox could not start: ${error && error.stack ? error.stack : error}\n`);
	process.exit(1);
});
