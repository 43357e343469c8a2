/**
 * `npm start` keeps its sandbox between starts (startSandbox({ keepState: true })): a second start on the same
 * folder finds the same workflow, tables, rows, executions and secrets, points the credentials at the new
 * simulators' ports, and takes orders again. (The other end-to-end files start from an empty temporary folder.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { N8nJson } from '../../tools/n8n/api';
import { type Sandbox, startSandbox } from '../../tools/n8n/sandbox';
import { eventually } from '../../tools/wait';

const OWNER = { email: 'kept@chat-checkout.localhost', firstName: 'Kept', lastName: 'Sandbox', password: 'Kept-Sandbox-Passw0rd' };
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-checkout-kept-'));
const log = (line: string) => process.stdout.write(`[sandbox] ${line}\n`);
let sandbox: Sandbox;

/** One paid booking, start to confirmation; returns the order row. */
async function bookAndPay(customer: string) {
	const delivery = await sandbox.customerSays('whatsapp', 'I want to book the Deluxe Suite for June 15-17', { from: customer });
	expect(delivery.status).toBe(200);
	const [link] = await sandbox.graph.waitForSends(1, { to: customer, timeoutMs: 60_000 });
	const url: string = link.urls[0];
	expect(url.startsWith(`${sandbox.stripe.url}/pay/`)).toBe(true); // the credential points at this start's simulator
	await sandbox.stripe.pay(url.slice(url.lastIndexOf('/') + 1));
	const sends = await sandbox.graph.waitForSends(2, { to: customer, timeoutMs: 60_000 });
	expect(sends[1].text).toMatch(/payment received/i);
	return eventually('the paid row', async () => (await sandbox.orders()).find((r) => r.userId === customer && r.status === 'paid'));
}

afterAll(async () => {
	await sandbox?.stop();
	fs.rmSync(folder, { recursive: true, force: true });
});

it('a second start on the same folder keeps workflow, tables, rows, executions and secrets, and takes orders again', async () => {
	sandbox = await startSandbox({ userFolder: folder, keepState: true, owner: OWNER, log });
	const first = { workflowIds: { ...sandbox.workflowIds }, tableIds: { ...sandbox.tableIds }, secrets: { ...sandbox.secrets } };
	const paid = await bookAndPay('4915199900001');
	// A catalog edit made in the editor, as an operator would.
	await sandbox.api.insertRows(sandbox.tableIds.chat_checkout_catalog, [{ key: 'spa-day', name: 'Spa day', kind: 'one_off', unitAmount: 99.0, currency: 'USD', interval: '' }]);
	const executionsOf = async () => (await Promise.all(Object.values(sandbox.workflowIds as Record<string, string>).map((id) => sandbox.api.listExecutions(id)))).flat().map((e) => String(e.id));
	const executionsBefore = await executionsOf();
	expect(executionsBefore.length).toBeGreaterThanOrEqual(2); // the DM's run and the payment's
	await sandbox.stop();

	sandbox = await startSandbox({ userFolder: folder, keepState: true, owner: OWNER, log });
	expect(sandbox.workflowIds).toEqual(first.workflowIds);
	expect(sandbox.tableIds).toEqual(first.tableIds);
	expect(sandbox.secrets).toEqual(first.secrets);
	const workflowIds = (await sandbox.api.listWorkflows()).map((w: N8nJson) => String(w.id)).sort();
	expect(workflowIds).toEqual(Object.values(first.workflowIds).sort()); // not imported again
	for (const id of workflowIds) expect((await sandbox.api.getWorkflow(id)).active).toBe(true);
	expect((await sandbox.orders()).find((r) => r.sessionId === paid.sessionId)).toMatchObject({ status: 'paid' });
	const catalog = (await sandbox.api.listRows(sandbox.tableIds.chat_checkout_catalog)).data;
	expect(catalog.map((r: N8nJson) => r.key)).toContain('spa-day');
	const executionsAfter = await executionsOf();
	expect(executionsAfter).toEqual(expect.arrayContaining(executionsBefore));

	// The simulators listen on fresh ports now; the kept credentials were pointed at them (bookAndPay checks the link).
	await bookAndPay('4915199900002');
}, 900_000);
