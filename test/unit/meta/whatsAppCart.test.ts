/**
 * WhatsApp catalog carts (inbound message type `order`) through the WhatsApp Trigger inside n8n-core's
 * WebhookContext, with bodies shaped as in Meta's order-message webhook reference and signed as Meta signs.
 */
import type { IDataObject } from 'n8n-workflow';

import { ChatCheckoutWhatsAppApi } from '../../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { WhatsAppTrigger } from '../../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { useIsolatedUserFolder } from '../../support/dedupeDir';
import { callWebhook } from '../../support/n8n';
import { APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, metaSignature, waContact, waOrder, waText, whatsAppBody, whatsAppValue } from '../../../tools/sandbox/metaWebhooks';

const credentials = {
	chatCheckoutWhatsAppApi: { accessToken: 'not-used', appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, phoneNumberId: PHONE_NUMBER_ID, graphApiVersion: 'v25.0', baseUrl: 'http://127.0.0.1:9' },
};

async function post(body: object, options: IDataObject = {}) {
	const raw = JSON.stringify(body);
	return await callWebhook(
		{ nodeType: new WhatsAppTrigger(), parameters: { options }, credentials, credentialTypes: [new ChatCheckoutWhatsAppApi()] },
		{ method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': metaSignature(raw) } },
	);
}

useIsolatedUserFolder();

const CUSTOMER = '4915112345678';

describe('WhatsApp Trigger: catalog carts', () => {
	it('an order message → one message item of type "order", with the cart as Meta sent it (prices informative)', async () => {
		const message = waOrder(
			'wamid.CART1',
			CUSTOMER,
			[
				{ product_retailer_id: 'welcome-basket', quantity: 2, item_price: 25.5, currency: 'EUR' },
				{ product_retailer_id: 'mug-sku-7', quantity: 1, item_price: 12, currency: 'EUR' },
			],
			'Please gift wrap',
		);
		const out = await post(whatsAppBody([whatsAppValue({ contacts: [waContact(CUSTOMER, 'Ada')], messages: [message] })]));

		expect(out.response.statusCode).toBe(200);
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json).toEqual({
			event: 'message',
			channel: 'whatsapp',
			chatRef: { channel: 'whatsapp', accountId: PHONE_NUMBER_ID, userId: CUSTOMER },
			messageId: 'wamid.CART1',
			timestamp: '2024-06-10T06:13:25.000Z',
			type: 'order',
			text: 'Please gift wrap',
			reply: null,
			profileName: 'Ada',
			status: null,
			raw: message,
			order: {
				catalogId: '1023456789012345',
				text: 'Please gift wrap',
				items: [
					{ retailerId: 'welcome-basket', quantity: 2, itemPrice: 25.5, currency: 'EUR' },
					{ retailerId: 'mug-sku-7', quantity: 1, itemPrice: 12, currency: 'EUR' },
				],
			},
		});
	});

	it('a cart without a note, quantities sent as text, and a quantity that is no number (left for Read Chat Order to refuse)', async () => {
		const message = waOrder('wamid.CART2', CUSTOMER, [
			{ product_retailer_id: 'welcome-basket', quantity: '3', item_price: '25.50', currency: 'EUR' },
			{ product_retailer_id: ' mug-sku-7 ', quantity: 'many', item_price: null, currency: 'EUR' },
		]);
		const [item] = (await post(whatsAppBody([whatsAppValue({ messages: [message] })]))).items;
		expect(item.json.text).toBe('');
		expect(item.json.order).toEqual({
			catalogId: '1023456789012345',
			text: '',
			items: [
				{ retailerId: 'welcome-basket', quantity: 3, itemPrice: '25.50', currency: 'EUR' },
				{ retailerId: 'mug-sku-7', quantity: null, itemPrice: null, currency: 'EUR' },
			],
		});
	});

	it('a card number typed into the cart\'s note is masked in the text, the cart and the raw message', async () => {
		const message = waOrder('wamid.CART3', CUSTOMER, [{ product_retailer_id: 'welcome-basket', quantity: 1, item_price: 25.5, currency: 'EUR' }], 'pay with 4242 4242 4242 4242');
		const [item] = (await post(whatsAppBody([whatsAppValue({ messages: [message] })]))).items;
		expect(item.json.text).toBe('pay with [card number removed]');
		expect((item.json.order as IDataObject).text).toBe('pay with [card number removed]');
		expect(JSON.stringify(item.json)).not.toContain('4242 4242');
	});

	it('other messages carry no cart field', async () => {
		const [item] = (await post(whatsAppBody([whatsAppValue({ messages: [waText('wamid.TXT', CUSTOMER, 'hi')] })]))).items;
		expect(item.json).not.toHaveProperty('order');
	});

	it('with "Combine Quick Messages" a cart followed by a word is one turn that still carries the cart', async () => {
		const options = { combineWithinSeconds: 0.3 };
		const cart = waOrder('wamid.CART4', CUSTOMER, [{ product_retailer_id: 'welcome-basket', quantity: 1, item_price: 25.5, currency: 'EUR' }]);
		const first = post(whatsAppBody([whatsAppValue({ messages: [cart] })]), options);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const second = await post(whatsAppBody([whatsAppValue({ messages: [waText('wamid.THX', CUSTOMER, 'thanks!')] })]), options);
		expect(second.items).toHaveLength(0);
		const [turn] = (await first).items;
		expect(turn.json).toMatchObject({ messageId: 'wamid.THX', type: 'text', text: 'thanks!' });
		expect((turn.json.order as IDataObject).items).toEqual([{ retailerId: 'welcome-basket', quantity: 1, itemPrice: 25.5, currency: 'EUR' }]);
		expect((turn.json.messages as IDataObject[]).map((m) => m.type)).toEqual(['order', 'text']);
	});
});
