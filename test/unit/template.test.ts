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
