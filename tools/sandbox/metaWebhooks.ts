/**
 * Meta webhook bodies, shaped as Meta's documentation and its deliveries show them, and their signatures
 * computed the way Meta computes them (HMAC-SHA256 of the raw bytes with the app secret). One builder for the
 * unit tests, the e2e harness and `npm start`'s sandbox: message-level pieces (waText, igEdit…) and the
 * envelopes around them (whatsAppBody, instagramBody), plus whole bodies the sandbox plays customers with
 * (a catalog cart, an edited DM) and the samples the App Dashboard's "Test" button posts.
 */
import { createHmac } from 'node:crypto';

/** Test-only values the unit tests configure their credentials with (nothing real). */
export const APP_SECRET = 'test-app-secret-not-real';
export const VERIFY_TOKEN = 'verify-me-please';
export const PHONE_NUMBER_ID = '106540352242922';
export const IG_ACCOUNT_ID = '17841400000000001';

/**
 * Posts a webhook body to one of our triggers as Meta does: the raw bytes, signed with the app secret
 * (`signature` replaces the header's value, null leaves the header out).
 */
export async function postMetaWebhook(
	url: string,
	body: unknown,
	o: { secret?: string; signature?: string | null } = {},
): Promise<{ status: number; responseBody: string }> {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	const signature = o.signature === undefined ? metaSignature(raw, o.secret) : o.signature;
	const headers = { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) };
	const response = await fetch(url, { method: 'POST', headers, body: raw });
	return { status: response.status, responseBody: await response.text() };
}

/** The `X-Hub-Signature-256` header Meta sends with `rawBody`. */
export function metaSignature(rawBody: string | Buffer, secret = APP_SECRET): string {
	return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export interface WebhookBody {
	object: 'whatsapp_business_account' | 'instagram';
	entry: object[];
}

// ---- WhatsApp Cloud API ------------------------------------------------------------------------------------

/** One delivery with an entry per `value`; each entry's id is `wabaId` when given, else `WABA_<index>`. */
export function whatsAppBody(values: object[], wabaId?: string): WebhookBody {
	return {
		object: 'whatsapp_business_account',
		entry: values.map((value, i) => ({
			id: wabaId ?? `WABA_${i}`,
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

export const waContact = (waId: string, name?: string) => ({ profile: { name }, wa_id: waId });

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

export interface OrderItem {
	product_retailer_id: string;
	quantity: unknown;
	item_price: unknown;
	currency: string;
}

/** A cart sent from the business's WhatsApp catalog (message type `order`), as in Meta's order-message reference. */
export const waOrder = (
	id: string,
	from: string,
	items: OrderItem[],
	text?: string,
	options: { timestamp?: string; catalogId?: string } = {},
) => ({
	from,
	id,
	timestamp: options.timestamp ?? '1718000005',
	type: 'order',
	order: { catalog_id: options.catalogId ?? '1023456789012345', ...(text === undefined ? {} : { text }), product_items: items },
});

/** One line of a WhatsApp catalog cart. */
export interface CartItemSpec {
	/** The product's retailer ID in the catalog (product_retailer_id). */
	retailerId: string;
	quantity: number | string;
	/** item_price as Meta sends it (default 1): informative only, never charged. */
	price?: number | string;
	/** Default USD. */
	currency?: string;
}

export interface CartMessageSpec {
	/** The customer's WhatsApp ID. */
	from: string;
	messageId: string;
	items: CartItemSpec[];
	/** The business number the cart was sent to. */
	phoneNumberId: string;
	/** The customer's note with the cart. */
	text?: string;
	/** Profile name (default Ada). */
	name?: string;
	/** Default 1023456789012345. */
	catalogId?: string;
	/** Default now. */
	timestampSeconds?: number;
}

/** A whole delivery of one WhatsApp cart (inbound message type `order`), as the sandbox's customers send it. */
export function whatsAppCartBody(m: CartMessageSpec): WebhookBody {
	const items = m.items.map((item) => ({
		product_retailer_id: item.retailerId,
		quantity: item.quantity,
		item_price: item.price ?? 1,
		currency: item.currency ?? 'USD',
	}));
	const timestamp = String(m.timestampSeconds ?? Math.floor(Date.now() / 1000));
	const order = waOrder(m.messageId, m.from, items, m.text, { timestamp, catalogId: m.catalogId });
	const value = whatsAppValue({ phoneNumberId: m.phoneNumberId, contacts: [waContact(m.from, m.name ?? 'Ada')], messages: [order] });
	return whatsAppBody([value], '200000000000001');
}

// ---- Instagram Messaging -----------------------------------------------------------------------------------

/** One delivery with an entry per element (account default IG_ACCOUNT_ID, time default a fixed instant). */
export function instagramBody(entries: Array<{ id?: string; time?: number; messaging: object[] }>): WebhookBody {
	return {
		object: 'instagram',
		entry: entries.map((e) => ({ id: e.id ?? IG_ACCOUNT_ID, time: e.time ?? 1718000000000, messaging: e.messaging })),
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

/** An edited Instagram DM (webhook field message_edit), as in Meta's message_edits reference. */
export const igEdit = (
	mid: string,
	sender: string,
	text: string,
	numEdit: number,
	options: { account?: string; timestamp?: number } = {},
) => ({
	sender: { id: sender },
	recipient: { id: options.account ?? IG_ACCOUNT_ID },
	timestamp: options.timestamp ?? 1718000005000,
	message_edit: { mid, text, num_edit: numEdit },
});

export interface EditSpec {
	/** The customer's Instagram-scoped ID. */
	from: string;
	/** The mid of the message the customer edited. */
	messageId: string;
	/** The new text. */
	text: string;
	/** 1 for the first edit of that message, 2 for the second … (Meta allows 5). */
	numEdit: number;
	/** The Instagram professional account. */
	accountId: string;
	/** Default now. */
	timestampMs?: number;
}

/** A whole delivery of one edited Instagram DM, as the sandbox's customers send it. */
export function instagramEditBody(m: EditSpec): WebhookBody {
	const timestamp = m.timestampMs ?? Date.now();
	const edit = igEdit(m.messageId, m.from, m.text, m.numEdit, { account: m.accountId, timestamp });
	return instagramBody([{ id: m.accountId, time: timestamp, messaging: [edit] }]);
}

// ---- The App Dashboard's "Test" button ---------------------------------------------------------------------

/** What the App Dashboard's "Test" button posts for the "messages" field: Meta's fixed sample, entry id "0". */
export function dashboardTestBody(channel: 'whatsapp' | 'instagram'): WebhookBody {
	if (channel === 'whatsapp') {
		const value = {
			messaging_product: 'whatsapp',
			metadata: { display_phone_number: '16505551111', phone_number_id: '123456123' },
			contacts: [waContact('16315551181', 'test user name')],
			messages: [waText('ABGGFlA5Fpa', '16315551181', 'this is a text message', '1504902988')],
		};
		return whatsAppBody([value], '0');
	}
	const value = { sender: { id: '12334' }, recipient: { id: '23245' }, timestamp: '1527459824', message: { mid: 'random_mid', text: 'random_text' } };
	return { object: 'instagram', entry: [{ id: '0', time: Date.now(), changes: [{ field: 'messages', value }] }] };
}
