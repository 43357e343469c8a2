// @ts-check
'use strict';
/**
 * The main job (`npm start`): the whole sandbox on 127.0.0.1 — a real n8n with this pack installed as a
 * community package and the template published, plus the Graph, Stripe and model simulators — then one
 * sample conversation per channel in the terminal, then n8n and the sandbox keep running for you to explore.
 * SANDBOX_EXIT_AFTER_DEMO=1 stops after the two conversations (used to check this script).
 */
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');
const { startSandbox } = require('../test/e2e/harness/sandbox');

const ROOT = path.resolve(__dirname, '..');
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

/** Prints what the shop sent, as the customer would see it. @param {any} send */
function describeSend(send) {
	const who = send.channel === 'whatsapp' ? 'WhatsApp' : 'Instagram';
	const body = send.body ?? {};
	// The message text without the button label the simulator's summary appends.
	const text = body.interactive?.body?.text ?? body.message?.attachment?.payload?.text ?? send.text;
	const link = send.urls && send.urls.length > 0 ? `\n      [ Pay securely ] → ${send.urls[0]}` : '';
	return `  ${bold(`shop → customer (${who})`)}: ${text}${link}`;
}

/** @param {any} sandbox @param {string} user @param {number} count */
async function waitForReply(sandbox, user, count) {
	const sends = await sandbox.graph.waitForSends(count, { to: user, timeoutMs: 60_000 });
	const send = sends[count - 1];
	say(describeSend(send));
	return send;
}

/** @param {any} send */
const sessionOf = (send) => send.urls[0].slice(send.urls[0].lastIndexOf('/') + 1);

/** @param {any} sandbox */
async function playConversations(sandbox) {
	say(`\n${bold('Conversation 1 — WhatsApp, a hotel booking')}`);
	const ada = '4915112345678';
	let text = 'Hi! I want to book the Deluxe Suite for June 15-17';
	say(`  ${bold('customer (WhatsApp, Ada)')}: ${text}`);
	await sandbox.customerSays('whatsapp', text, { from: ada, name: 'Ada' });
	let link = await waitForReply(sandbox, ada, 1);
	say(dim(`  … Ada opens the link and pays on the (sandbox) Stripe Checkout page; Stripe sends a signed checkout.session.completed`));
	await sandbox.stripe.pay(sessionOf(link));
	await waitForReply(sandbox, ada, 2);
	let [row] = (await sandbox.orders()).filter((/** @type {any} */ r) => r.sessionId === sessionOf(link));
	say(dim(`  order row: ${row.sessionId} ${row.product} × ${row.quantity} ${(row.amountTotal / 100).toFixed(2)} ${row.currency.toUpperCase()} → ${row.status}`));

	say(`\n${bold('Conversation 2 — Instagram, a monthly subscription')}`);
	const ben = '7000000000000042';
	text = 'Hello! I would like to subscribe to the Pro plan';
	say(`  ${bold('customer (Instagram, Ben)')}: ${text}`);
	await sandbox.customerSays('instagram', text, { from: ben });
	link = await waitForReply(sandbox, ben, 1);
	say(dim('  … Ben subscribes on the checkout page; Stripe sends checkout.session.completed and invoice.paid'));
	await sandbox.stripe.pay(sessionOf(link));
	await waitForReply(sandbox, ben, 2);
	[row] = (await sandbox.orders()).filter((/** @type {any} */ r) => r.sessionId === sessionOf(link));
	say(dim(`  order row: ${row.sessionId} ${row.product} → ${row.status} until ${String(row.periodEnd).slice(0, 10)}`));
}

/** @param {any} sandbox */
function printHowToExplore(sandbox) {
	say(`\n${bold('The sandbox is running.')}`);
	say(`  n8n editor:      ${sandbox.n8n.baseUrl}   login ${sandbox.owner.email} / ${sandbox.owner.password}`);
	say(`                   workflow "Chat checkout" → Executions shows every run; Overview → Data tables shows the orders`);
	say(`  Stripe sandbox:  ${sandbox.stripe.url}   (checkout links open a page with Pay / Let it expire / Fail async payment)`);
	say(`  Chat as a customer: type a line here —  wa: I want the deluxe room June 20-23   or   ig: I want the Pro plan`);
	say(`  (products: ${dim('Grand Hotel Deluxe Room 199.00 USD/night, Pro plan 29.00 USD/month')}; edit them in the catalog data table)`);
	say(`  n8n log: ${path.relative(ROOT, sandbox.n8n.logFile)}     Stop with Ctrl+C.\n`);
}

/** Prints every new message the shop sends, whoever triggered it. @param {any} sandbox */
function followSends(sandbox) {
	let shown = sandbox.graph.sent.length;
	return setInterval(() => {
		while (shown < sandbox.graph.sent.length) say(describeSend(sandbox.graph.sent[shown++]));
	}, 300);
}

async function main() {
	const started = Date.now();
	say(bold('n8n-nodes-chat-checkout sandbox') + dim(' — everything on 127.0.0.1; no real Meta, Stripe or OpenAI account is used'));
	const port = (await portIsFree(5678)) ? 5678 : undefined;
	const sandbox = await startSandbox({
		userFolder: path.join(ROOT, '.sandbox', 'n8n'),
		port,
		log: (/** @type {string} */ line) => say(`› ${line}`),
	});
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('\nstopping n8n and the simulators …');
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	say(`› ready in ${Math.round((Date.now() - started) / 1000)} s`);

	await playConversations(sandbox);
	if (process.env.SANDBOX_EXIT_AFTER_DEMO === '1') return stop();

	printHowToExplore(sandbox);
	followSends(sandbox);
	let customer = 0;
	const rl = readline.createInterface({ input: process.stdin, terminal: false });
	rl.on('line', async (line) => {
		const match = /^\s*(wa|whatsapp|ig|instagram)\s*:\s*(.+)$/i.exec(line);
		if (!match) {
			if (line.trim()) say(dim('  start the line with "wa:" (WhatsApp) or "ig:" (Instagram)'));
			return;
		}
		const channel = /^(wa|whatsapp)$/i.test(match[1]) ? 'whatsapp' : 'instagram';
		customer += 1;
		const from = channel === 'whatsapp' ? `49151555${String(customer).padStart(4, '0')}` : `70000000055${String(customer).padStart(5, '0')}`;
		const delivery = await sandbox.customerSays(channel, match[2], { from }).catch((/** @type {Error} */ e) => ({ status: e.message }));
		say(dim(`  (sent as a signed ${channel} webhook → ${delivery.status})`));
	});
}

main().catch((error) => {
	process.stderr.write(`\nThe sandbox could not start: ${error && error.stack ? error.stack : error}\n`);
	process.exit(1);
});
