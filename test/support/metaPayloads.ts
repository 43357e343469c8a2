/** Webhook bodies shaped as in Meta's documentation, and signatures computed the way Meta computes them. */
import { createHmac } from 'node:crypto';

export const APP_SECRET = 'test-app-secret-not-real';
export const VERIFY_TOKEN = 'verify-me-please';
export const PHONE_NUMBER_ID = '106540352242922';
export const IG_ACCOUNT_ID = '17841400000000001';

export function metaSignature(rawBody: string | Buffer, secret = APP_SECRET): string {
	return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function whatsAppBody(values: object[]): object {
	return {
		object: 'whatsapp_business_account',
		entry: values.map((value, i) => ({
			id: `WABA_${i}`,
			changes: [{ field: 'messages', value }],
		})),
	};
}

export function whatsAppValue(opts: { messages?: object[]; statuses?: object[]; phoneNumberId?: string; contacts?: object[] }) {
	return {
		messaging_product: 'whatsapp',
		metadata: { display_phone_number: '15550001111', phone_number_id: opts.phoneNumberId ?? PHONE_NUMBER_ID },
		...(opts.contacts ? { contacts: opts.contacts } : {}),
		...(opts.messages ? { messages: opts.messages } : {}),
		...(opts.statuses ? { statuses: opts.statuses } : {}),
	};
}

export const waContact = (waId: string, name: string) => ({ profile: { name }, wa_id: waId });

export const waText = (id: string, from: string, body: string, timestamp = '1718000000') => ({
	from,
	id,
	timestamp,
	type: 'text',
	text: { body },
});

export const waButtonReply = (id: string, from: string, replyId: string, title: string) => ({
	context: { from: '15550001111', id: 'wamid.PREVIOUS' },
	from,
	id,
	timestamp: '1718000001',
	type: 'interactive',
	interactive: { type: 'button_reply', button_reply: { id: replyId, title } },
});

export const waListReply = (id: string, from: string, rowId: string, title: string) => ({
	from,
	id,
	timestamp: '1718000002',
	type: 'interactive',
	interactive: { type: 'list_reply', list_reply: { id: rowId, title, description: 'row description' } },
});

export const waImage = (id: string, from: string, caption: string) => ({
	from,
	id,
	timestamp: '1718000003',
	type: 'image',
	image: { caption, mime_type: 'image/jpeg', sha256: 'abc', id: 'MEDIA_ID_1' },
});

export const waStatus = (id: string, recipient: string, status: string, errors?: object[]) => ({
	id,
	status,
	timestamp: '1718000004',
	recipient_id: recipient,
	...(errors ? { errors } : {}),
});

export function instagramBody(entries: Array<{ id?: string; messaging: object[] }>): object {
	return {
		object: 'instagram',
		entry: entries.map((e) => ({ id: e.id ?? IG_ACCOUNT_ID, time: 1718000000000, messaging: e.messaging })),
	};
}

export const igText = (mid: string, sender: string, text: string, account = IG_ACCOUNT_ID) => ({
	sender: { id: sender },
	recipient: { id: account },
	timestamp: 1718000000123,
	message: { mid, text },
});

export const igEcho = (mid: string, customer: string, text: string) => ({
	sender: { id: IG_ACCOUNT_ID },
	recipient: { id: customer },
	timestamp: 1718000000456,
	message: { mid, text, is_echo: true },
});

export const igQuickReply = (mid: string, sender: string, text: string, payload: string) => ({
	sender: { id: sender },
	recipient: { id: IG_ACCOUNT_ID },
	timestamp: 1718000000789,
	message: { mid, text, quick_reply: { payload } },
});

export const igPostback = (mid: string, sender: string, title: string, payload: string) => ({
	sender: { id: sender },
	recipient: { id: IG_ACCOUNT_ID },
	timestamp: 1718000001000,
	postback: { mid, title, payload },
});

export const igRead = (mid: string, sender: string) => ({
	sender: { id: sender },
	recipient: { id: IG_ACCOUNT_ID },
	timestamp: 1718000002000,
	read: { mid },
});

export const igReaction = (mid: string, sender: string, emoji: string) => ({
	sender: { id: sender },
	recipient: { id: IG_ACCOUNT_ID },
	timestamp: 1718000003000,
	reaction: { mid, action: 'react', reaction: 'love', emoji },
});

export const igDeletion = (mid: string, sender: string) => ({
	sender: { id: sender },
	recipient: { id: IG_ACCOUNT_ID },
	timestamp: 1718000004000,
	message: { mid, is_deleted: true },
});

/** A cart sent from the business's WhatsApp catalog (message type `order`), as in Meta's order-message reference. */
export const waOrder = (
	id: string,
	from: string,
	items: Array<{ product_retailer_id: string; quantity: unknown; item_price: unknown; currency: string }>,
	text?: string,
) => ({
	from,
	id,
	timestamp: '1718000005',
	type: 'order',
	order: { catalog_id: '1023456789012345', ...(text === undefined ? {} : { text }), product_items: items },
});

/** An edited Instagram DM (webhook field message_edit), as in Meta's message_edits reference. */
export const igEdit = (mid: string, sender: string, text: string, numEdit: number) => ({
	sender: { id: sender },
	recipient: { id: IG_ACCOUNT_ID },
	timestamp: 1718000005000,
	message_edit: { mid, text, num_edit: numEdit },
});

/** What the App Dashboard's "Test" button posts for the WhatsApp "messages" field (Meta's fixed sample). */
export function whatsAppDashboardTestBody(): object {
	return {
		object: 'whatsapp_business_account',
		entry: [
			{
				id: '0',
				changes: [
					{
						field: 'messages',
						value: {
							messaging_product: 'whatsapp',
							metadata: { display_phone_number: '16505551111', phone_number_id: '123456123' },
							contacts: [{ profile: { name: 'test user name' }, wa_id: '16315551181' }],
							messages: [{ from: '16315551181', id: 'ABGGFlA5Fpa', timestamp: '1504902988', type: 'text', text: { body: 'this is a text message' } }],
						},
					},
				],
			},
		],
	};
}

/** What the App Dashboard's "Test" button posts for the Instagram "messages" field (Meta's fixed sample). */
export function instagramDashboardTestBody(): object {
	return {
		object: 'instagram',
		entry: [
			{
				id: '0',
				time: 1718000000000,
				changes: [
					{
						field: 'messages',
						value: {
							sender: { id: '12334' },
							recipient: { id: '23245' },
							timestamp: '1527459824',
							message: { mid: 'random_mid', text: 'random_text' },
						},
					},
				],
			},
		],
	};
}
