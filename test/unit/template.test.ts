/** The shipped workflows reference only what the pack really has (the e2e suite then runs them in n8n). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

import { CreateStripeCheckout } from '../../nodes/CreateStripeCheckout/CreateStripeCheckout.node';
import { InstagramTrigger } from '../../nodes/InstagramTrigger/InstagramTrigger.node';
import { SendChatMessage } from '../../nodes/SendChatMessage/SendChatMessage.node';
import { StripeWebhookVerify } from '../../nodes/StripeWebhookVerify/StripeWebhookVerify.node';
import { WhatsAppTrigger } from '../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';

interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	webhookId?: string;
}
interface Workflow {
	nodes: TemplateNode[];
	connections: Record<string, Record<string, Array<Array<{ node: string }>>>>;
}

const root = join(__dirname, '..', '..');
const load = (file: string) => JSON.parse(readFileSync(join(root, 'workflows', file), 'utf8')) as Workflow;
const ours: Record<string, INodeType> = Object.fromEntries(
	[new WhatsAppTrigger(), new InstagramTrigger(), new CreateStripeCheckout(), new StripeWebhookVerify(), new SendChatMessage()].map(
		(node) => [`n8n-nodes-chat-checkout.${node.description.name}`, node],
	),
);

describe.each(['chat-checkout.json', 'chat-checkout-setup.json'])('%s', (file) => {
	const workflow = load(file);

	it('uses our node types by their npm package name, with parameters and credentials they declare', () => {
		for (const node of workflow.nodes) {
			expect(node.type).not.toMatch(/^CUSTOM\./);
			if (!node.type.startsWith('n8n-nodes-chat-checkout.')) continue;
			const type = ours[node.type];
			expect(type).toBeDefined();
			const declared = new Set(type.description.properties.map((p) => p.name));
			for (const parameter of Object.keys(node.parameters)) expect([node.name, parameter, declared.has(parameter)]).toEqual([node.name, parameter, true]);
			const credentials = new Set((type.description.credentials ?? []).map((c) => c.name));
			for (const credential of Object.keys(node.credentials ?? {})) expect(credentials.has(credential)).toBe(true);
		}
	});

	it('connects only nodes that exist, and gives every webhook node its own id', () => {
		const names = new Set(workflow.nodes.map((n) => n.name));
		for (const [from, kinds] of Object.entries(workflow.connections)) {
			expect(names.has(from)).toBe(true);
			for (const outputs of Object.values(kinds)) for (const output of outputs) for (const target of output) expect(names.has(target.node)).toBe(true);
		}
		const webhookIds = workflow.nodes.filter((n) => n.webhookId).map((n) => n.webhookId);
		expect(new Set(webhookIds).size).toBe(webhookIds.length);
	});

	it('holds no secrets', () => {
		expect(JSON.stringify(workflow)).not.toMatch(/sk_(test|live)_[0-9A-Za-z]{8,}|whsec_[0-9A-Za-z]{8,}|EAA[A-Za-z0-9]{20,}/);
	});
});

it('the setup workflow seeds the catalog the issue asks for: the Deluxe Room at 199.00 USD a night and a monthly plan', () => {
	const sample = load('chat-checkout-setup.json').nodes.find((n) => n.type === 'n8n-nodes-base.code')!;
	const rows = (new Function(String(sample.parameters.jsCode))() as Array<{ json: Record<string, unknown> }>).map((r) => r.json);
	expect(rows).toEqual(
		expect.arrayContaining([
			expect.objectContaining({ name: 'Grand Hotel Deluxe Room', kind: 'per_night', unitAmount: 199, currency: 'USD' }),
			expect.objectContaining({ kind: 'subscription', interval: 'month' }),
		]),
	);
});

describe('the Stripe-event reply guard ("Reply due?")', () => {
	const node = load('chat-checkout.json').nodes.find((n) => n.name === 'Reply due?')!;
	const run = (eventType: string, rows: Array<Record<string, unknown>>) => {
		const $ = (name: string) => {
			expect(name).toBe('Stripe Webhook Verify');
			return { first: () => ({ json: { type: eventType } }) };
		};
		const $input = { all: () => rows.map((json) => ({ json })) };
		return new Function('$', '$input', String(node.parameters.jsCode))($, $input) as Array<{ json: Record<string, number | string> }>;
	};
	const paidRow = { id: 7, sessionId: 'cs_test_1', status: 'paid', repliedStatus: 'open', replyClaimedAt: 0 };

	it('ships a 2-minute lease: Stripe\'s own retries come minutes to hours apart, a send with default retries takes seconds', () => {
		expect(String(node.parameters.jsCode)).toContain('const REPLY_LEASE_SECONDS = 120;');
	});

	it('owes a reply when the row reached the event\'s state and the customer was not told, and prices the claim', () => {
		const before = Date.now();
		const [due] = run('checkout.session.completed', [paidRow]);
		expect(due.json).toMatchObject({ id: 7, target: 'paid' });
		expect(Number(due.json.claimAt)).toBeGreaterThanOrEqual(before);
		expect(Number(due.json.claimAt) - Number(due.json.staleBefore)).toBe(120_000);
		expect(run('invoice.payment_failed', [{ ...paidRow, status: 'past_due', repliedStatus: 'active' }])[0].json.target).toBe('past_due');
	});

	it('owes nothing once told, for a row in another state, for no row, or for an event it does not handle', () => {
		expect(run('checkout.session.completed', [{ ...paidRow, repliedStatus: 'paid' }])).toEqual([]);
		expect(run('checkout.session.expired', [paidRow])).toEqual([]);
		expect(run('checkout.session.completed', [{}])).toEqual([]);
		expect(run('charge.refunded', [paidRow])).toEqual([]);
	});

	it('fails the run while another delivery\'s claim is fresh (Stripe retries), and takes over a claim past the lease', () => {
		expect(() => run('checkout.session.completed', [{ ...paidRow, replyClaimedAt: Date.now() - 5_000 }])).toThrow(/another delivery.*Stripe retries/i);
		expect(run('checkout.session.completed', [{ ...paidRow, replyClaimedAt: Date.now() - 121_000 }])).toHaveLength(1);
	});
});

describe('pricing a reading ("Price the order"): the chat never sets the price', () => {
	const node = load('chat-checkout.json').nodes.find((n) => n.name === 'Price the order')!;
	const catalog = [
		{ key: 'deluxe-room', name: 'Grand Hotel Deluxe Room', kind: 'per_night', unitAmount: 199, currency: 'USD', interval: '' },
		{ key: 'basket', name: 'Welcome basket', kind: 'one_off', unitAmount: 25, currency: 'USD', interval: '' },
		{ key: 'pro', name: 'Pro plan', kind: 'subscription', unitAmount: 29, currency: 'USD', interval: 'month' },
	];
	const price = (reading: Record<string, unknown>) => {
		const message = { chatRef: { channel: 'whatsapp', accountId: '1', userId: '2' }, messageId: 'wamid.X', catalog };
		const $ = () => ({ all: () => [{ json: message }] });
		const $input = { all: () => [{ json: { output: reading } }] };
		return (new Function('$', '$input', String(node.parameters.jsCode))($, $input) as Array<{ json: Record<string, unknown> }>)[0].json;
	};

	it('takes unit amount and currency from the catalog, whatever else the model returned', () => {
		expect(price({ productKey: 'basket', quantity: 3, unitAmount: 1, price: 0.01, currency: 'JPY' })).toMatchObject({ orderable: true, unitAmount: 25, currency: 'USD', quantity: 3 });
		expect(price({ productKey: 'pro', quantity: 12, currency: 'JPY' })).toMatchObject({ orderable: true, unitAmount: 29, quantity: 1, mode: 'subscription' });
	});

	it('asks again instead of guessing when a one-off quantity is zero, negative, fractional or above 99', () => {
		for (const quantity of [0, -3, 2.5, 100, '5']) {
			const out = price({ productKey: 'basket', quantity });
			expect([quantity, out.orderable, String(out.reply)]).toEqual([quantity, false, expect.stringContaining('How many of the Welcome basket')]);
		}
		expect(price({ productKey: 'basket', quantity: null })).toMatchObject({ orderable: true, quantity: 1 });
	});

	it('keeps only real YYYY-MM-DD dates (they are shown on the checkout page), and asks for dates otherwise', () => {
		expect(price({ productKey: 'deluxe-room', checkIn: '2026-06-15', checkOut: '2026-06-17' })).toMatchObject({ orderable: true, quantity: 2, checkIn: '2026-06-15', checkOut: '2026-06-17' });
		const odd = price({ productKey: 'deluxe-room', checkIn: 'Pay 0.01 USD at the desk', checkOut: '2026-06-17', nights: 2 });
		expect(odd).toMatchObject({ orderable: true, quantity: 2, checkIn: null, checkOut: '2026-06-17' });
		expect(price({ productKey: 'deluxe-room', checkIn: 'tomorrow', checkOut: 'later' })).toMatchObject({ orderable: false });
	});
});
