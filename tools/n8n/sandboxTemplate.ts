/**
 * The shipped template as the sandbox imports it: the pack packed as an operator's n8n downloads it, the
 * data tables and sample rows read from the setup workflow, and the workflows with this sandbox's
 * credential ids and success/cancel pages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { DataTableColumn, WorkflowJson, WorkflowNode } from './api';

const ROOT = path.resolve(__dirname, '..', '..');
/** The shipped template: the conversation (DMs → checkout links) and the payments workflow (Stripe events → chat). */
export const TEMPLATES = {
	conversation: path.join(ROOT, 'workflows', 'chat-checkout.json'),
	payments: path.join(ROOT, 'workflows', 'chat-checkout-payments.json'),
};
const SETUP_TEMPLATE = path.join(ROOT, 'workflows', 'chat-checkout-setup.json');

/** Credential id and name by credential type. */
export type CredentialIds = Record<string, { id: string; name: string }>;

/** Packs the built pack into `dir` (npm pack: exactly what an operator's n8n would download). */
export function packPackage(dir: string, log: (line: string) => void): string {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		log('building the pack (npm run build) …');
		execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
	}
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
	return path.join(dir, JSON.parse(out)[0].filename);
}

/** Table definitions and sample rows, read from the shipped setup workflow (one source of truth). */
export function setupFromTemplate(): { tables: Record<string, DataTableColumn[]>; rows: Array<Record<string, string | number | boolean | null>> } {
	const setup = JSON.parse(fs.readFileSync(SETUP_TEMPLATE, 'utf8'));
	const tables: Record<string, DataTableColumn[]> = {};
	for (const node of setup.nodes) {
		if (node.type === 'n8n-nodes-base.dataTable' && node.parameters.operation === 'create') {
			tables[node.parameters.tableName] = node.parameters.columns.column;
		}
	}
	// The sample products: one Data Table insert node each, with fixed values.
	const rows = setup.nodes
		.filter((n: WorkflowNode) => n.type === 'n8n-nodes-base.dataTable' && n.parameters.operation === 'insert')
		.map((n: WorkflowNode) => ({ ...n.parameters.columns.value }));
	return { tables, rows };
}

/**
 * The template with this sandbox's credential ids, success/cancel pages on the Stripe simulator and,
 * when asked, a shorter reply lease (so a test of a run that died need not wait the shipped 2 minutes).
 */
export function templateFor(file: string, credentialIds: CredentialIds, stripeUrl: string, replyLeaseSeconds?: number): WorkflowJson {
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowJson;
	for (const node of workflow.nodes) {
		const credentials = node.credentials ?? {};
		for (const type of Object.keys(credentials)) {
			if (!credentialIds[type]) throw new Error(`template node "${node.name}" needs a ${type} credential the sandbox does not make`);
			credentials[type] = { id: credentialIds[type].id, name: credentialIds[type].name };
		}
		if (node.type === 'n8n-nodes-chat-checkout.createStripeCheckout' && node.parameters.successUrl !== undefined) {
			node.parameters.successUrl = `${stripeUrl}/thanks?session_id={CHECKOUT_SESSION_ID}`;
			node.parameters.cancelUrl = `${stripeUrl}/cancelled?session_id={CHECKOUT_SESSION_ID}`;
		}
		if (replyLeaseSeconds !== undefined && node.name === 'Claim reply') {
			const claimed = node.parameters.filters.conditions.find((c: { keyName: string }) => c.keyName === 'replyClaimedAt');
			const lease = /\$now\.toMillis\(\) - \d+ \* 1000/;
			if (!claimed || !lease.test(claimed.keyValue)) throw new Error('template: "Claim reply" no longer holds its lease as "$now.toMillis() - <seconds> * 1000"');
			claimed.keyValue = claimed.keyValue.replace(lease, `$now.toMillis() - ${Number(replyLeaseSeconds)} * 1000`);
		}
	}
	return workflow;
}

/** The path of the pack's trigger node `type` in the workflows, under n8n's webhook URL. */
export function webhookPath(workflows: WorkflowJson[], type: string, suffix: string): string {
	const node = workflows.flatMap((w) => w.nodes).find((n) => n.type === `n8n-nodes-chat-checkout.${type}`);
	if (!node) throw new Error(`the template has no n8n-nodes-chat-checkout.${type} node`);
	return `${node.webhookId}/${suffix}`;
}
