/** The shipped workflows reference only what the pack and the setup really have (the e2e suite then runs them in n8n). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

import { ChatOrderStatus } from '../../nodes/ChatOrderStatus/ChatOrderStatus.node';
import { CreateStripeCheckout } from '../../nodes/CreateStripeCheckout/CreateStripeCheckout.node';
import { InstagramTrigger } from '../../nodes/InstagramTrigger/InstagramTrigger.node';
import { ReadChatOrder } from '../../nodes/ReadChatOrder/ReadChatOrder.node';
import { ResumeCrashedTurn } from '../../nodes/ResumeCrashedTurn/ResumeCrashedTurn.node';
import { SendChatMessage } from '../../nodes/SendChatMessage/SendChatMessage.node';
import { StripeWebhookVerify } from '../../nodes/StripeWebhookVerify/StripeWebhookVerify.node';
import { WhatsAppTrigger } from '../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { ORDER_STATUSES } from '../../nodes/shared/stripe/orderStatus';

interface TemplateNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
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
	[new WhatsAppTrigger(), new InstagramTrigger(), new ReadChatOrder(), new ChatOrderStatus(), new CreateStripeCheckout(), new StripeWebhookVerify(), new SendChatMessage(), new ResumeCrashedTurn()].map(
		(node) => [`n8n-nodes-chat-checkout.${node.description.name}`, node],
	),
);
const OPERATOR_WORKFLOWS = ['chat-checkout.json', 'chat-checkout-payments.json'];

describe.each([...OPERATOR_WORKFLOWS, 'chat-checkout-setup.json'])('%s', (file) => {
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

	it('uses versions our nodes declare; the webhook nodes at the version new nodes get', () => {
		for (const node of workflow.nodes.filter((n) => ours[n.type])) {
			const { version, defaultVersion, webhooks } = ours[node.type].description;
			expect([node.name, [version].flat().includes(node.typeVersion)]).toEqual([node.name, true]);
			if (webhooks?.length) expect([node.name, node.typeVersion]).toEqual([node.name, defaultVersion]);
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

	it('holds no secrets and no JavaScript for the operator to read', () => {
		expect(JSON.stringify(workflow)).not.toMatch(/sk_(test|live)_[0-9A-Za-z]{8,}|whsec_[0-9A-Za-z]{8,}|EAA[A-Za-z0-9]{20,}/);
		expect(workflow.nodes.filter((n) => /\.(code|function|functionItem)$/.test(n.type)).map((n) => n.name)).toEqual([]);
	});
});

describe.each(OPERATOR_WORKFLOWS)('%s, for operators', (file) => {
	const workflow = load(file);

	it('names every branch: Switch outputs by rule name, no node keeps its default name', () => {
		for (const node of workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.switch')) {
			expect([node.name, node.parameters.mode ?? 'rules']).toEqual([node.name, 'rules']);
			for (const rule of node.parameters.rules.values) expect([node.name, rule.renameOutput, typeof rule.outputKey]).toEqual([node.name, true, 'string']);
		}
		const defaults = ['Switch', 'If', 'Data table', 'Send Chat Message', 'Stripe Checkout', 'Code', 'Sticky Note'];
		expect(workflow.nodes.filter((n) => defaults.some((d) => n.name === d || n.name.startsWith(`${d}1`))).map((n) => n.name)).toEqual([]);
	});

	it('reads and writes only the tables and columns the setup workflow creates', () => {
		const setup = load('chat-checkout-setup.json');
		const tables = new Map<string, Set<string>>();
		for (const node of setup.nodes.filter((n) => n.parameters.operation === 'create')) {
			tables.set(node.parameters.tableName, new Set([...node.parameters.columns.column.map((c: { name: string }) => c.name), 'id', 'createdAt', 'updatedAt']));
		}
		const used = workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.dataTable');
		expect(used.length).toBeGreaterThan(3);
		for (const node of used) {
			const table = node.parameters.dataTableId.value as string;
			const columns = tables.get(table);
			expect([node.name, table, columns !== undefined]).toEqual([node.name, table, true]);
			const written = Object.keys(node.parameters.columns?.value ?? {});
			const filtered = (node.parameters.filters?.conditions ?? []).map((c: { keyName: string }) => c.keyName);
			for (const column of [...written, ...filtered]) expect([node.name, column, columns!.has(column)]).toEqual([node.name, column, true]);
		}
	});
});

it('the setup workflow seeds the catalog with fixed values: the Deluxe Room at 199.00 USD a night, a monthly plan, a one-off product', () => {
	const rows = load('chat-checkout-setup.json')
		.nodes.filter((n) => n.parameters.operation === 'insert')
		.map((n) => n.parameters.columns.value);
	expect(rows).toEqual([
		expect.objectContaining({ key: 'deluxe-room', name: 'Grand Hotel Deluxe Room', kind: 'per_night', unitAmount: 199, currency: 'USD', maxPerOrder: 5 }),
		expect.objectContaining({ kind: 'subscription', interval: 'month' }),
		expect.objectContaining({ kind: 'one_off' }),
	]);
});

it('wires every output of Read order: checkout, reply, cancel, order status, subscription, a person, and its error output', () => {
	const outputs = load('chat-checkout.json').connections['Read order'].main.map((list) => list.map((c) => c.node));
	expect(outputs).toEqual([['Create checkout'], ['Save pending order'], ['Clear chat'], ['Load my orders'], ['Find subscription'], ['Hand over to a person'], ['Apologise']]);
});

it('routes every order state Stripe Webhook Verify reports to a branch of "What happened?"', () => {
	const whatHappened = load('chat-checkout-payments.json').nodes.find((n) => n.name === 'What happened?')!;
	const routed = whatHappened.parameters.rules.values.map((r: { conditions: { conditions: Array<{ rightValue: string }> } }) => r.conditions.conditions[0].rightValue);
	expect([...routed].sort()).toEqual([...ORDER_STATUSES].sort());
});

it('ships a 2-minute reply lease: Stripe\'s own retries come minutes to hours apart, a send with retries takes seconds', () => {
	const claim = load('chat-checkout-payments.json').nodes.find((n) => n.name === 'Claim reply')!;
	const lease = claim.parameters.filters.conditions.find((c: { keyName: string }) => c.keyName === 'replyClaimedAt');
	expect(lease).toEqual({ keyName: 'replyClaimedAt', condition: 'lt', keyValue: '={{ $now.toMillis() - 120 * 1000 }}' });
});

it('reads quick messages together on both triggers, and reads the order with the pack\'s node and a chat model', () => {
	const conversation = load('chat-checkout.json');
	for (const name of ['WhatsApp Trigger', 'Instagram Trigger']) {
		expect(conversation.nodes.find((n) => n.name === name)!.parameters.options.combineWithinSeconds).toBe(3);
	}
	expect(conversation.connections['Chat model'].ai_languageModel[0]).toEqual([{ node: 'Read order', type: 'ai_languageModel', index: 0 }]);
	// The chat's row reaches Read order only when no person has taken the chat over.
	expect(conversation.connections['Open chat'].main[0]).toEqual([{ node: 'With a person?', type: 'main', index: 0 }]);
	expect(conversation.connections['With a person?'].main[1]).toEqual([{ node: 'Read order', type: 'main', index: 0 }]);
	expect(conversation.connections['Load catalog'].main[0]).toEqual([{ node: 'Read order', type: 'main', index: 1 }]);
});

it('resumes a turn whose run n8n lost: its own Error Trigger → Resume crashed turn → back where the triggers lead', () => {
	const conversation = load('chat-checkout.json') as Workflow & { settings?: Record<string, unknown> };
	const errorTrigger = conversation.nodes.find((n) => n.type === 'n8n-nodes-base.errorTrigger')!;
	expect(conversation.connections[errorTrigger.name].main[0]).toEqual([{ node: 'Resume crashed turn', type: 'main', index: 0 }]);
	expect(conversation.nodes.find((n) => n.name === 'Resume crashed turn')!.type).toBe('n8n-nodes-chat-checkout.resumeCrashedTurn');
	expect(conversation.connections['Resume crashed turn'].main[0]).toEqual(conversation.connections['WhatsApp Trigger'].main[0]);
	// An Error Workflow set in the settings would be started instead of the workflow's own Error Trigger.
	expect(conversation.settings?.errorWorkflow).toBeUndefined();
});

it('ends every output of Read order with a Send Chat Message (where the chat\'s turn ends and the next may start)', () => {
	const conversation = load('chat-checkout.json');
	const byName = new Map(conversation.nodes.map((n) => [n.name, n]));
	const reachable = (from: string, seen = new Set<string>()): Set<string> => {
		for (const output of conversation.connections[from]?.main ?? []) {
			for (const { node } of output) {
				if (seen.has(node)) continue;
				seen.add(node);
				reachable(node, seen);
			}
		}
		return seen;
	};
	for (const [index, output] of conversation.connections['Read order'].main.entries()) {
		const sends = [...reachable(output[0].node, new Set([output[0].node]))].filter((name) => byName.get(name)!.type === 'n8n-nodes-chat-checkout.sendChatMessage');
		expect([index, sends.length > 0]).toEqual([index, true]);
	}
});
