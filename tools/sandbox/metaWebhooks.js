// @ts-check
'use strict';
/**
 * Meta webhook bodies the sandbox plays customers (and Meta) with, shaped as Meta sends them: a cart from the
 * business's WhatsApp catalog (message type `order`), an edited Instagram DM (`message_edit`), and the samples
 * the App Dashboard's "Test" button posts. Pure functions: the harness (test/e2e/harness/sandbox.js) signs
 * and posts them to the triggers.
 */

/**
 * @typedef {object} CartItemSpec  One line of a WhatsApp catalog cart.
 * @property {string} retailerId             The product's retailer ID in the catalog (product_retailer_id).
 * @property {number | string} quantity
 * @property {number | string} [price]       item_price as Meta sends it (default 1): informative only, never charged.
 * @property {string} [currency]             Default USD.
 */

/**
 * @typedef {object} CartMessageSpec
 * @property {string} from                   The customer's WhatsApp ID.
 * @property {string} messageId
 * @property {CartItemSpec[]} items
 * @property {string} phoneNumberId          The business number the cart was sent to.
 * @property {string} [text]                 The customer's note with the cart.
 * @property {string} [name]                 Profile name (default Ada).
 * @property {string} [catalogId]            Default 1023456789012345.
 * @property {number} [timestampSeconds]     Default now.
 */

/**
 * A WhatsApp cart (inbound message type `order`) as Meta's webhook delivers it.
 * @param {CartMessageSpec} m
 */
function whatsAppCartBody(m) {
	const order = {
		catalog_id: m.catalogId ?? '1023456789012345',
		...(m.text === undefined ? {} : { text: m.text }),
		product_items: m.items.map((item) => ({
			product_retailer_id: item.retailerId,
			quantity: item.quantity,
			item_price: item.price ?? 1,
			currency: item.currency ?? 'USD',
		})),
	};
	return {
		object: 'whatsapp_business_account',
		entry: [
			{
				id: '200000000000001',
				changes: [
					{
						field: 'messages',
						value: {
							messaging_product: 'whatsapp',
							metadata: { display_phone_number: '15550001111', phone_number_id: m.phoneNumberId },
							contacts: [{ profile: { name: m.name ?? 'Ada' }, wa_id: m.from }],
							messages: [{ from: m.from, id: m.messageId, timestamp: String(m.timestampSeconds ?? Math.floor(Date.now() / 1000)), type: 'order', order }],
						},
					},
				],
			},
		],
	};
}

/**
 * @typedef {object} EditSpec
 * @property {string} from                   The customer's Instagram-scoped ID.
 * @property {string} messageId              The mid of the message the customer edited.
 * @property {string} text                   The new text.
 * @property {number} numEdit                1 for the first edit of that message, 2 for the second … (Meta allows 5).
 * @property {string} accountId              The Instagram professional account.
 * @property {number} [timestampMs]          Default now.
 */

/**
 * An edited Instagram DM (webhook field `message_edit`) as Meta delivers it.
 * @param {EditSpec} m
 */
function instagramEditBody(m) {
	const timestamp = m.timestampMs ?? Date.now();
	return {
		object: 'instagram',
		entry: [
			{
				id: m.accountId,
				time: timestamp,
				messaging: [{ sender: { id: m.from }, recipient: { id: m.accountId }, timestamp, message_edit: { mid: m.messageId, text: m.text, num_edit: m.numEdit } }],
			},
		],
	};
}

/**
 * What the App Dashboard's "Test" button posts for the "messages" field: Meta's fixed sample, entry id "0".
 * @param {'whatsapp' | 'instagram'} channel
 */
function dashboardTestBody(channel) {
	if (channel === 'whatsapp') {
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
	return {
		object: 'instagram',
		entry: [
			{
				id: '0',
				time: Date.now(),
				changes: [
					{
						field: 'messages',
						value: { sender: { id: '12334' }, recipient: { id: '23245' }, timestamp: '1527459824', message: { mid: 'random_mid', text: 'random_text' } },
					},
				],
			},
		],
	};
}

module.exports = { whatsAppCartBody, instagramEditBody, dashboardTestBody };
