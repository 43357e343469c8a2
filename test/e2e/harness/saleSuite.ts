/**
 * The sale from DM to confirmation, as every n8n line the pack supports must run it (test/e2e/chatCheckout.test.ts
 * on 2.40, test/e2e/n8n1x.test.ts on 1.123): a one-off sale on both channels, its redeliveries, a subscription to
 * its end, forged signatures. One body, parameterised by the line; each file adds its own tests around it.
 */
import type { Channel, Sandbox } from './sandboxForFile';
import type { N8nJson } from '../../../tools/n8n/api';
import { whatsAppWebhookBody } from '../../../tools/n8n/sandbox';
import type { SentMessage } from '../../../tools/sandbox/graph';
import { eventually, settledExecutionCount as settledCount } from '../../../tools/wait';

export interface SaleLine {
	/** how the describe titles name the line: '' or e.g. ' on n8n 1.123' */
	on: string;
	sandbox: () => Sandbox;
	newCustomer: (channel: Channel) => string;
	/** how long a reply may take: the template's 3 s quiet window, the model, Stripe and the send */
	replyTimeoutMs: number;
	/** More tests on the WhatsApp sale, run right after its own (they get its ids once those ran). */
	moreOnWhatsAppSale?: (sale: WhatsAppSale) => void;
}

export interface WhatsAppSale {
	user: string;
	messageId: string;
	sessionId: string;
	completedEventId: string;
}

const ORDER_TEXT = 'Hi! I want to book the Deluxe Suite for June 15-17';

/** Reading a line's sandbox: the Stripe sessions made, the order rows, a sale through the chat. */
export function saleHelpers(line: SaleLine) {
	const sessionRequests = () => line.sandbox().stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions' && r.status === 200);
	const sessionRequestFor = (messageId: string) => sessionRequests().filter((r) => r.params.metadata?.chat_message_id === messageId);
	const orderFor = async (predicate: (row: N8nJson) => boolean) => (await line.sandbox().orders()).filter(predicate);
	const sessionIdFromLink = (link: SentMessage): string => link.urls[0].slice(link.urls[0].lastIndexOf('/') + 1);
	const settledExecutionCount = (): Promise<number> => settledCount(line.sandbox().api, line.sandbox().workflowIds);
	/** A customer writes; returns the delivery, the link message and the session the workflow made for it. */
	async function orderViaChat(channel: Channel, text: string, user = line.newCustomer(channel)) {
		const delivery = await line.sandbox().customerSays(channel, text, { from: user });
		expect(delivery.status).toBe(200);
		const [link] = await line.sandbox().graph.waitForSends(1, { to: user, timeoutMs: line.replyTimeoutMs });
		const [request] = sessionRequestFor(delivery.messageId);
		return { user, delivery, link, request, sessionId: sessionIdFromLink(link) };
	}
	return { sessionRequests, sessionRequestFor, orderFor, sessionIdFromLink, settledExecutionCount, orderViaChat };
}

export function describeSaleSuite(line: SaleLine): void {
	const { sessionRequests, sessionRequestFor, orderFor, settledExecutionCount, orderViaChat } = saleHelpers(line);
	const sandbox = line.sandbox;
	const waitForSends = (n: number, user: string) => sandbox().graph.waitForSends(n, { to: user, timeoutMs: line.replyTimeoutMs });

	describe(`one-off sale${line.on}, WhatsApp`, () => {
		const sale: WhatsAppSale = { user: '', messageId: '', sessionId: '', completedEventId: '' };

		it('DM → the model → exactly the expected Stripe session → a link button to the same user', async () => {
			const modelCallsBefore = sandbox().llm.requests.length;
			const order = await orderViaChat('whatsapp', ORDER_TEXT);
			sale.user = order.user;
			sale.messageId = order.delivery.messageId;
			expect(sandbox().llm.requests.length).toBeGreaterThan(modelCallsBefore);
			const requests = sessionRequestFor(sale.messageId);
			expect(requests).toHaveLength(1);
			const { params, idempotencyKey } = requests[0];
			expect(params.mode).toBe('payment');
			expect(params.line_items).toHaveLength(1);
			expect(params.line_items[0]).toMatchObject({
				quantity: '2',
				price_data: { currency: 'usd', unit_amount: '19900', product_data: { name: 'Grand Hotel Deluxe Room, 1 room × 2 nights' } },
			});
			const chatMetadata = {
				chat_channel: 'whatsapp',
				chat_account_id: sandbox().accounts.phoneNumberId,
				chat_user_id: sale.user,
				chat_message_id: sale.messageId,
			};
			expect(params.metadata).toMatchObject(chatMetadata);
			expect(params.payment_intent_data.metadata).toMatchObject(chatMetadata);
			expect(idempotencyKey).toMatch(/^cc1-[0-9a-f]{64}$/);

			const link = order.link;
			expect(link.channel).toBe('whatsapp');
			expect(link.accountId).toBe(sandbox().accounts.phoneNumberId);
			expect(link.body.type).toBe('interactive');
			expect(link.body.interactive.type).toBe('cta_url');
			expect(link.body.interactive.body.text).toContain('Here is your secure checkout link');
			sale.sessionId = order.sessionId;
			expect(link.body.interactive.action.parameters.url).toBe(`${sandbox().stripe.url}/pay/${sale.sessionId}`);

			const rows = await orderFor((r) => r.sessionId === sale.sessionId);
			expect(rows).toEqual([
				expect.objectContaining({ status: 'open', channel: 'whatsapp', userId: sale.user, productKey: 'deluxe-room', quantity: 1, nights: 2, amountTotal: 39800, currency: 'usd' }),
			]);
			expect(JSON.stringify(rows)).not.toMatch(/card|last4|pm_/i);
		});

		it('signed checkout.session.completed → row paid → one confirmation to the same user', async () => {
			const paid = await sandbox().stripe.pay(sale.sessionId);
			const completed = paid.events.find((e) => e.type === 'checkout.session.completed')!;
			sale.completedEventId = completed.id;
			expect(completed.status).toBe(200);
			await eventually('row paid', async () => (await orderFor((r) => r.sessionId === sale.sessionId && r.status === 'paid'))[0]);
			const sends = await waitForSends(2, sale.user);
			expect(sends).toHaveLength(2);
			expect(sends[1].channel).toBe('whatsapp');
			expect(sends[1].text).toContain('Payment received');
			expect(sends[1].text).toContain('398.00 USD');
		});

		it('a redelivered DM and redelivered (also concurrent) Stripe events double nothing', async () => {
			const sessionsBefore = sessionRequests().length;
			const again = await sandbox().postMeta('whatsapp', whatsAppWebhookBody({ from: sale.user, text: ORDER_TEXT, messageId: sale.messageId, name: 'Ada' }));
			expect(again.status).toBe(200);
			const deliveries = await Promise.all([1, 2, 3].map(() => sandbox().stripe.redeliver(sale.completedEventId)));
			expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
			await settledExecutionCount();
			await new Promise((resolve) => setTimeout(resolve, 1500));
			expect(sessionRequests()).toHaveLength(sessionsBefore);
			expect(sandbox().graph.sentTo(sale.user)).toHaveLength(2);
			expect(await orderFor((r) => r.userId === sale.user)).toHaveLength(1);
		});

		line.moreOnWhatsAppSale?.(sale);
	});

	describe(`one-off sale${line.on}, Instagram`, () => {
		it('DM → session with the Instagram chat reference → button template → paid → confirmation on Instagram', async () => {
			const order = await orderViaChat('instagram', 'hello, can I book the deluxe room from June 15 to June 17?');
			expect(order.request.params.line_items[0]).toMatchObject({ quantity: '2', price_data: { unit_amount: '19900', currency: 'usd' } });
			expect(order.request.params.metadata).toMatchObject({ chat_channel: 'instagram', chat_account_id: sandbox().accounts.instagramAccountId, chat_user_id: order.user });
			expect(order.link.channel).toBe('instagram');
			expect(order.link.body.recipient).toEqual({ id: order.user });
			const payload = order.link.body.message.attachment.payload;
			expect(payload.template_type).toBe('button');
			expect(payload.buttons[0]).toMatchObject({ type: 'web_url', title: 'Pay securely' });

			await sandbox().stripe.pay(order.sessionId);
			await eventually('row paid', async () => (await orderFor((r) => r.sessionId === order.sessionId && r.status === 'paid'))[0]);
			const sends = await waitForSends(2, order.user);
			expect(sends[1].channel).toBe('instagram');
			expect(sends[1].text).toContain('Payment received');
		});
	});

	describe(`subscription${line.on}`, () => {
		it('signup → invoice.paid → active (period end) → payment failed → past due → deleted → cancelled, a message each; a redelivery doubles nothing', async () => {
			const order = await orderViaChat('whatsapp', 'I would like to subscribe to the Pro plan please');
			const { params } = order.request;
			expect(params.mode).toBe('subscription');
			expect(params.line_items[0]).toMatchObject({ quantity: '1', price_data: { unit_amount: '2900', currency: 'usd', recurring: { interval: 'month' } } });
			expect(params.subscription_data.metadata).toMatchObject({ chat_user_id: order.user, chat_message_id: order.delivery.messageId });

			const paid = await sandbox().stripe.pay(order.sessionId);
			expect(paid.events.map((e) => e.type)).toEqual(expect.arrayContaining(['checkout.session.completed', 'invoice.paid']));
			const active = await eventually('row active', async () => (await orderFor((r) => r.sessionId === order.sessionId && r.status === 'active'))[0]);
			expect(active.subscriptionId).toMatch(/^sub_/);
			expect(active.periodEnd).toMatch(/^\d{4}-\d{2}-\d{2}$/);
			expect((await waitForSends(2, order.user))[1].text).toContain('subscription is active until');

			await sandbox().stripe.failInvoice(active.subscriptionId);
			await eventually('row past_due', async () => (await orderFor((r) => r.sessionId === order.sessionId && r.status === 'past_due'))[0]);
			await waitForSends(3, order.user);

			const cancelled = await sandbox().stripe.cancelSubscription(active.subscriptionId);
			await eventually('row cancelled', async () => (await orderFor((r) => r.sessionId === order.sessionId && r.status === 'cancelled'))[0]);
			expect((await waitForSends(4, order.user))[3].text).toContain('cancelled');

			await sandbox().stripe.redeliver(cancelled.events[0].id);
			await settledExecutionCount();
			expect(sandbox().graph.sentTo(order.user)).toHaveLength(4);
		});
	});

	describe(`signatures${line.on}`, () => {
		it('forged or missing signatures on all three endpoints are rejected and start nothing; the handshake needs the verify token', async () => {
			const before = await settledExecutionCount();
			const body = whatsAppWebhookBody({ from: '4915199999999', text: 'I want the deluxe room June 15-17', messageId: 'wamid.FORGED1', name: 'Mallory' });
			expect((await sandbox().postMeta('whatsapp', body, { secret: 'not-the-app-secret' })).status).toBe(401);
			expect((await sandbox().postMeta('whatsapp', body, { signature: null })).status).toBe(401);
			expect((await sandbox().postMeta('instagram', { object: 'instagram', entry: [] }, { secret: 'not-the-app-secret' })).status).toBe(401);
			expect((await sandbox().postMeta('instagram', { object: 'instagram', entry: [] }, { signature: null })).status).toBe(401);

			const event = { id: 'evt_forged', object: 'event', type: 'checkout.session.completed', data: { object: { id: 'cs_test_forged', object: 'checkout.session', payment_status: 'paid', metadata: {} } } };
			const forged = sandbox().stripe.signedRequest(event, { secret: 'whsec_not_the_endpoint_secret' });
			expect((await fetch(sandbox().urls.stripe, { method: 'POST', headers: forged.headers, body: forged.body })).status).toBe(400);
			const unsigned = await fetch(sandbox().urls.stripe, { method: 'POST', headers: { 'content-type': 'application/json' }, body: forged.body });
			expect(unsigned.status).toBe(400);

			// Meta's verification handshake answers the challenge only for the right verify token.
			const url = new URL(sandbox().urls.whatsapp);
			url.search = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': sandbox().secrets.verifyToken, 'hub.challenge': '31337' }).toString();
			const handshake = await fetch(url);
			expect(handshake.status).toBe(200);
			expect(await handshake.text()).toBe('31337');
			url.searchParams.set('hub.verify_token', 'wrong');
			expect((await fetch(url)).status).toBe(403);

			await new Promise((resolve) => setTimeout(resolve, 1000));
			expect(await settledExecutionCount()).toBe(before);
		});
	});
}
