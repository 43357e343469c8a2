/** The ids the built-in deliveries use, and one valid delivery per endpoint (truncated into bad ones). */
import type { Endpoint } from './types';

export const PHONE_NUMBER_ID = '100000000000001';
export const IG_ACCOUNT_ID = '17841400000000001';

export function defaultSample(endpoint: Endpoint): unknown {
	if (endpoint === 'whatsapp') {
		return {
			object: 'whatsapp_business_account',
			entry: [{ id: '200000000000001', changes: [{ field: 'messages', value: {
				messaging_product: 'whatsapp',
				metadata: { display_phone_number: '15550001111', phone_number_id: PHONE_NUMBER_ID },
				contacts: [{ profile: { name: 'Ada' }, wa_id: '4915112345678' }],
				messages: [{ from: '4915112345678', id: 'wamid.SAMPLE', timestamp: '1780000000', type: 'text', text: { body: 'I want the deluxe room June 15-17' } }],
			} }] }],
		};
	}
	if (endpoint === 'instagram') {
		return {
			object: 'instagram',
			entry: [{ id: IG_ACCOUNT_ID, time: 1780000000000, messaging: [{ sender: { id: '7000000000000001' }, recipient: { id: IG_ACCOUNT_ID }, timestamp: 1780000000000, message: { mid: 'aWdfSAMPLE', text: 'I want the deluxe room June 15-17' } }] }],
		};
	}
	return {
		id: 'evt_sample', object: 'event', api_version: '2026-02-25.clover', created: 1780000000, livemode: false, type: 'checkout.session.completed',
		data: { object: { id: 'cs_test_sample', object: 'checkout.session', mode: 'payment', payment_status: 'paid', status: 'complete', amount_total: 39800, currency: 'usd',
			metadata: { chat_channel: 'whatsapp', chat_account_id: PHONE_NUMBER_ID, chat_user_id: '4915112345678', chat_message_id: 'wamid.SAMPLE' } } },
	};
}
