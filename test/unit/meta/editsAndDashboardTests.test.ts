/**
 * Two things Meta sends besides customer messages, through the real triggers inside n8n-core's
 * WebhookContext, signed as Meta signs: an edited Instagram DM (emitted only when the operator opts in), and
 * the sample the App Dashboard's "Test" button posts (recognised, answered, logged, and no run started).
 */
import { Logger } from '@n8n/backend-common';
import type { IDataObject, INodeType } from 'n8n-workflow';

import { ChatCheckoutInstagramApi } from '../../../credentials/ChatCheckoutInstagramApi.credentials';
import { ChatCheckoutWhatsAppApi } from '../../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { InstagramTrigger } from '../../../nodes/InstagramTrigger/InstagramTrigger.node';
import { WhatsAppTrigger } from '../../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { useIsolatedUserFolder } from '../../support/dedupeDir';
import { callWebhook } from '../../support/n8n';
import {
	APP_SECRET,
	IG_ACCOUNT_ID,
	PHONE_NUMBER_ID,
	VERIFY_TOKEN,
	dashboardTestBody,
	igEdit,
	igText,
	instagramBody,
	metaSignature,
	waText,
	whatsAppBody,
	whatsAppValue,
} from '../../../tools/sandbox/metaWebhooks';

const common = { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphApiVersion: 'v25.0', baseUrl: 'http://127.0.0.1:9', accessToken: 'not-used' };
const triggers = {
	instagram: { nodeType: new InstagramTrigger(), credentials: { chatCheckoutInstagramApi: { ...common, accountId: IG_ACCOUNT_ID } }, credentialTypes: [new ChatCheckoutInstagramApi()] },
	whatsapp: { nodeType: new WhatsAppTrigger(), credentials: { chatCheckoutWhatsAppApi: { ...common, phoneNumberId: PHONE_NUMBER_ID } }, credentialTypes: [new ChatCheckoutWhatsAppApi()] },
};

async function post(channel: keyof typeof triggers, body: object, options: IDataObject = {}, signed = true) {
	const raw = JSON.stringify(body);
	const trigger = triggers[channel] as { nodeType: INodeType; credentials: never; credentialTypes: never };
	return await callWebhook(
		{ ...trigger, parameters: { options } },
		{ method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json', ...(signed ? { 'X-Hub-Signature-256': metaSignature(raw) } : {}) } },
	);
}

useIsolatedUserFolder();

const CUSTOMER = '7000000000000042';

describe('Instagram Trigger: edited messages', () => {
	it('are not emitted unless "Also Emit → Edited Messages" is chosen', async () => {
		const out = await post('instagram', instagramBody([{ messaging: [igEdit('mid.EDIT0', CUSTOMER, '3 nights, not 2', 1)] }]));
		expect(out.response.statusCode).toBe(200);
		expect(out.items).toHaveLength(0);
	});

	it('opted in: a message item with edited: true, the new text, and the original message id', async () => {
		const edit = igEdit('mid.ORIGINAL1', CUSTOMER, 'deluxe room for 3 nights, not 2', 1);
		const out = await post('instagram', instagramBody([{ messaging: [edit] }]), { include: ['edit'] });
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json).toEqual({
			event: 'message',
			channel: 'instagram',
			chatRef: { channel: 'instagram', accountId: IG_ACCOUNT_ID, userId: CUSTOMER },
			messageId: 'mid.ORIGINAL1',
			timestamp: new Date(1718000005000).toISOString(),
			type: 'text',
			text: 'deluxe room for 3 nights, not 2',
			reply: null,
			profileName: null,
			status: null,
			raw: edit,
			edited: true,
		});
	});

	it('dedupe keeps the original and each edit apart: a redelivered edit is dropped, a second edit is not', async () => {
		const options = { include: ['edit'] };
		const original = await post('instagram', instagramBody([{ messaging: [igText('mid.ORIGINAL2', CUSTOMER, 'deluxe room for 2 nights')] }]), options);
		const firstEdit = await post('instagram', instagramBody([{ messaging: [igEdit('mid.ORIGINAL2', CUSTOMER, 'deluxe room for 3 nights', 1)] }]), options);
		const redelivered = await post('instagram', instagramBody([{ messaging: [igEdit('mid.ORIGINAL2', CUSTOMER, 'deluxe room for 3 nights', 1)] }]), options);
		const secondEdit = await post('instagram', instagramBody([{ messaging: [igEdit('mid.ORIGINAL2', CUSTOMER, 'deluxe room for 4 nights', 2)] }]), options);
		expect([original, firstEdit, redelivered, secondEdit].map((out) => out.items.map((item) => [item.json.messageId, item.json.text, item.json.edited ?? false]))).toEqual([
			[['mid.ORIGINAL2', 'deluxe room for 2 nights', false]],
			[['mid.ORIGINAL2', 'deluxe room for 3 nights', true]],
			[],
			[['mid.ORIGINAL2', 'deluxe room for 4 nights', true]],
		]);
	});

	it('with "Combine Quick Messages", an edit of a message of the same turn replaces its text in the turn', async () => {
		const options = { include: ['edit'], combineWithinSeconds: 0.3 };
		const first = post('instagram', instagramBody([{ messaging: [igText('mid.TURN1', CUSTOMER, 'deluxe room for 2 nights')] }]), options);
		await new Promise((resolve) => setTimeout(resolve, 50));
		await post('instagram', instagramBody([{ messaging: [igText('mid.TURN2', CUSTOMER, 'from june 20')] }]), options);
		await post('instagram', instagramBody([{ messaging: [igEdit('mid.TURN1', CUSTOMER, 'deluxe room for 3 nights', 1)] }]), options);
		const [turn] = (await first).items;
		expect(turn.json.text).toBe('deluxe room for 3 nights\nfrom june 20');
		expect((turn.json.messages as IDataObject[]).map((m) => [m.messageId, m.text])).toEqual([
			['mid.TURN1', 'deluxe room for 2 nights'],
			['mid.TURN2', 'from june 20'],
			['mid.TURN1', 'deluxe room for 3 nights'],
		]);
	});

	it('a card number typed into an edit is masked like any text', async () => {
		const out = await post('instagram', instagramBody([{ messaging: [igEdit('mid.ORIGINAL3', CUSTOMER, 'card 4242 4242 4242 4242', 1)] }]), { include: ['edit'] });
		expect(out.items[0].json.text).toBe('card [card number removed]');
		expect(JSON.stringify(out.items[0].json)).not.toContain('4242 4242');
	});
});

describe("Meta's App Dashboard test sample", () => {
	const dashboardLogs = (info: jest.SpyInstance) => info.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('dashboard test'));

	it.each([
		['instagram', dashboardTestBody('instagram'), 'Instagram'],
		['whatsapp', dashboardTestBody('whatsapp'), 'WhatsApp'],
	] as const)('%s: answered 200, no run, and n8n\'s log says the callback works', async (channel, body, label) => {
		const info = jest.spyOn(Logger.prototype, 'info');
		const out = await post(channel, body, { include: ['edit', 'echo', 'status'] });
		expect(out.response.statusCode).toBe(200);
		expect(out.items).toHaveLength(0);
		expect(out.result.workflowData).toBeUndefined();
		expect(dashboardLogs(info)).toEqual([`${label} Trigger: Meta's dashboard test event received: your callback works (Meta's sample data starts no workflow run; a real message will)`]);
		info.mockRestore();
	});

	it('a real entry beside a sample one is emitted; the sample is not', async () => {
		const sample = dashboardTestBody('whatsapp');
		const real = whatsAppBody([whatsAppValue({ messages: [waText('wamid.REAL1', '4915112345678', 'hi')] })]);
		const out = await post('whatsapp', { object: 'whatsapp_business_account', entry: [...sample.entry, ...real.entry] });
		expect(out.items.map((item) => item.json.messageId)).toEqual(['wamid.REAL1']);
	});

	it('is still refused without Meta\'s signature, and not logged as a test', async () => {
		const info = jest.spyOn(Logger.prototype, 'info');
		const out = await post('instagram', dashboardTestBody('instagram'), {}, false);
		expect(out.response.statusCode).toBe(401);
		expect(dashboardLogs(info)).toEqual([]);
		info.mockRestore();
	});
});
