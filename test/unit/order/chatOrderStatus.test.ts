import type { IDataObject } from 'n8n-workflow';

import { ChatOrderStatus } from '../../../nodes/ChatOrderStatus/ChatOrderStatus.node';
import { executeNode } from '../../support/n8n';

const ADA = { channel: 'whatsapp', accountId: '100000000000001', userId: '4915112345678' };
const BEN = { channel: 'instagram', accountId: '17841400000000001', userId: '70001' };

const row = (id: number, chat: typeof ADA, fields: IDataObject): IDataObject => ({
	id,
	sessionId: `cs_test_${id}`,
	channel: chat.channel,
	accountId: chat.accountId,
	userId: chat.userId,
	createdAt: `2026-11-${String(10 + id).padStart(2, '0')}T10:00:00.000Z`,
	...fields,
});

async function status(rows: IDataObject[], asking: typeof ADA | null, options: IDataObject = {}) {
	const items = rows.length ? rows : [{}]; // a Data Table get that found nothing, with Always Output Data
	const [out] = await executeNode({
		nodeType: new ChatOrderStatus(),
		parameters: { chat: asking ? `={{ ${JSON.stringify(asking)} }}` : '', options },
		items: items.map((json) => ({ json })),
	});
	return out;
}

describe('Chat Order Status', () => {
	it('lists the asking chat\'s orders, newest first, each with its state in words', async () => {
		const out = await status(
			[
				row(1, ADA, { summary: 'Welcome basket', total: '25.00 USD', status: 'paid' }),
				row(2, ADA, { summary: 'Pro plan (monthly), billed every month', total: '29.00 USD', status: 'active', periodEnd: '2026-12-28' }),
				row(3, ADA, { summary: 'Grand Hotel Deluxe Room, 1 room × 2 nights (…)', total: '398.00 USD', status: 'replaced' }),
				row(4, ADA, { summary: 'Grand Hotel Deluxe Room, 1 room × 3 nights (…)', total: '597.00 USD', status: 'open', checkoutUrl: 'http://127.0.0.1:9/pay/cs_test_4' }),
				row(5, ADA, { summary: 'Welcome basket × 2', total: '50.00 USD', status: 'partially_refunded', refunded: '10.00 USD' }),
			],
			ADA,
		);
		expect(out).toHaveLength(1);
		expect(out[0].json.chatRef).toEqual(ADA);
		expect(out[0].json.reply).toBe(
			[
				'Your recent orders:',
				'• Welcome basket × 2: 50.00 USD — paid, 10.00 USD refunded',
				'• Grand Hotel Deluxe Room, 1 room × 3 nights (…): 597.00 USD — waiting for payment: http://127.0.0.1:9/pay/cs_test_4',
				'• Pro plan (monthly), billed every month: 29.00 USD — active until 2026-12-28',
				'• Welcome basket: 25.00 USD — paid',
			].join('\n'),
		);
		expect(out[0].pairedItem).toHaveLength(5);
	});

	it('never lists a row of another chat, even when the workflow let one through', async () => {
		const out = await status([row(1, BEN, { summary: 'Pro plan', total: '29.00 USD', status: 'active', periodEnd: '2027-01-01' }), row(2, ADA, { summary: 'Welcome basket', total: '25.00 USD', status: 'paid' })], ADA);
		expect(out).toHaveLength(1);
		expect(out[0].json.reply).not.toContain('Pro plan');
		expect((out[0].json.orders as IDataObject[]).map((o) => o.sessionId)).toEqual(['cs_test_2']);
	});

	it('no orders: says so, to the chat that asked', async () => {
		const out = await status([], BEN);
		expect(out).toEqual([expect.objectContaining({ json: { chatRef: BEN, reply: 'You have no orders with us yet. Write what you would like and I will prepare it.', orders: [] } })]);
	});

	it('gives each order\'s creation time as an ISO string, also from a Date (Data Table version 1, the one on n8n 1.x)', async () => {
		const created = new Date('2026-11-20T08:30:00.000Z');
		const out = await status([row(1, ADA, { summary: 'Welcome basket', total: '25.00 USD', status: 'paid', createdAt: created as unknown as string }), row(2, ADA, { summary: 'Pro plan', total: '29.00 USD', status: 'paid' })], ADA);
		expect((out[0].json.orders as IDataObject[]).map((o) => o.createdAt)).toEqual(['2026-11-12T10:00:00.000Z', '2026-11-20T08:30:00.000Z']);
	});

	it('lists at most the set number, and speaks the operator\'s words', async () => {
		const rows = [1, 2, 3, 4].map((id) => row(id, ADA, { summary: `Order ${id}`, total: '1.00 USD', status: id === 4 ? 'expired' : 'paid' }));
		const out = await status(rows, ADA, { max: 2, texts: { header: 'Tus pedidos:', paid: 'pagado', expired: 'enlace caducado' } });
		expect(out[0].json.reply).toBe('Tus pedidos:\n• Order 4: 1.00 USD — enlace caducado\n• Order 3: 1.00 USD — pagado');
	});
});
