/**
 * After the sale, in the same chat (issue 11), in the real n8n sandbox with the shipped template: order status,
 * subscription self-service through Stripe's Customer Portal, refunds, a person when asked, WhatsApp catalog
 * carts, edited Instagram messages and Meta's dashboard test. Each part fails without its piece.
 */
import { finishedRunItems } from './harness/runItems';
import { type Channel, customerIds, type Sandbox, sandboxForFile } from './harness/sandboxForFile';
import type { N8nJson } from '../../tools/n8n/api';
import type { SentMessage } from '../../tools/sandbox/graph';
import { eventually, settledExecutionCount } from '../../tools/wait';

let sandbox: Sandbox;
const newCustomer = customerIds({ whatsapp: '49153000', instagram: '72000000000' });

const WAIT_MS = 45_000;
const textOf = (send: SentMessage): string =>
	send.body.text?.body ?? send.body.interactive?.body?.text ?? send.body.message?.attachment?.payload?.text ?? send.body.message?.text ?? '';
const sessionIdOf = (send: SentMessage) => send.urls[0].slice(send.urls[0].lastIndexOf('/') + 1);
const ordersOf = async (user: string) => (await sandbox.orders()).filter((r) => r.userId === user);
const sent = (user: string) => sandbox.graph.sentTo(user);
const settled = () => settledExecutionCount(sandbox.api, sandbox.workflowIds);

/** The customer writes; returns the shop's next message to them. */
async function says(channel: Channel, user: string, text: string): Promise<SentMessage> {
	const before = sent(user).length;
	expect((await sandbox.customerSays(channel, text, { from: user })).status).toBe(200);
	return (await sandbox.graph.waitForSends(before + 1, { to: user, timeoutMs: WAIT_MS }))[before];
}

/** The next message to the customer after `action` (a payment, a refund, a portal click …). */
async function after(user: string, action: () => Promise<unknown>): Promise<SentMessage> {
	const before = sent(user).length;
	await action();
	return (await sandbox.graph.waitForSends(before + 1, { to: user, timeoutMs: WAIT_MS }))[before];
}

/** Orders with one message and pays the link; returns the link message and the session id. */
async function buyAndPay(channel: Channel, user: string, text: string) {
	const link = await says(channel, user, text);
	expect(link.urls.length).toBe(1);
	const confirmation = await after(user, () => sandbox.stripe.pay(sessionIdOf(link)));
	expect(textOf(confirmation)).toMatch(/Payment received|subscription is active/);
	return { link, sessionId: sessionIdOf(link) };
}

/** The finished executions of the conversation workflow whose "Notify the team" node ran for this customer. */
const teamNotifications = (user: string): Promise<N8nJson[]> =>
	finishedRunItems(sandbox, sandbox.workflowIds.conversation, 'Notify the team', (item) => item.customer === user, 50);

sandboxForFile((started) => {
	sandbox = started;
	// A second plan subscribers can switch to in the portal.
	sandbox.stripe.setPortalPlans([{ id: 'price_pro_yearly', unit_amount: 29000, currency: 'usd', product_name: 'Pro plan', nickname: 'Pro plan (yearly)', recurring: { interval: 'year' } }]);
});

describe('"where is my order?"', () => {
	it('lists this chat\'s orders with their state — the open one with its link again — and nothing of anyone else', async () => {
		const ada = newCustomer('whatsapp');
		const other = newCustomer('whatsapp');
		await buyAndPay('whatsapp', ada, 'I want to book the deluxe room June 15-17');
		await buyAndPay('whatsapp', other, 'a welcome basket please');
		const open = await says('whatsapp', ada, 'two welcome baskets');
		const answer = await says('whatsapp', ada, 'where is my order?');
		const lines = textOf(answer).split('\n');
		expect(lines[0]).toBe('Your recent orders:');
		expect(lines[1]).toBe(`• Welcome basket × 2: 50.00 USD — waiting for payment: ${open.urls[0]}`);
		expect(lines[2]).toMatch(/^• Grand Hotel Deluxe Room, 1 room × 2 nights \(.*\): 398\.00 USD — paid$/);
		expect(lines).toHaveLength(3);
		expect(textOf(answer)).not.toContain('Welcome basket: 25.00 USD'); // the other customer's order
		// A customer with no orders is told so; the pending basket order of Ada was not touched by asking.
		const newcomer = newCustomer('instagram');
		expect(textOf(await says('instagram', newcomer, 'did my payment go through?'))).toBe('You have no orders with us yet. Write what you would like and I will prepare it.');
		const [chat] = (await sandbox.chats()).filter((r) => r.userId === ada);
		expect(chat.sessionId).toBe(sessionIdOf(open));
	});
});

describe('subscription self-service through Stripe\'s Customer Portal', () => {
	it('a subscriber gets a portal link; cancelling, staying, switching plan and cancelling now are each told once', async () => {
		const ben = newCustomer('instagram');
		await buyAndPay('instagram', ben, 'I would like the Pro plan');
		const [row] = await ordersOf(ben);
		expect(row).toMatchObject({ status: 'active', mode: 'subscription' });
		expect(row.customerId).toMatch(/^cus_/);

		const portal = await says('instagram', ben, 'I want to cancel my subscription');
		expect(textOf(portal)).toBe('Here you can manage your subscription: cancel it, change your plan or update your card.');
		expect(portal.urls[0]).toMatch(new RegExp(`^${sandbox.stripe.url}/portal/`));
		const session = [...sandbox.stripe.portalSessions.values()].find((s) => s.url === portal.urls[0])!;
		expect(session.customer).toBe(row.customerId); // the portal of this customer, nobody else's

		const ending = await after(ben, () => sandbox.stripe.portalCancel(row.subscriptionId, { atPeriodEnd: true }));
		expect(textOf(ending)).toBe(`Your Pro plan (monthly) subscription is cancelled and ends on ${row.periodEnd}; you keep it until then.`);
		const continues = await after(ben, () => sandbox.stripe.portalKeepSubscription(row.subscriptionId));
		expect(textOf(continues)).toBe('Your Pro plan (monthly) subscription continues. Thank you for staying with us!');
		const plan = await after(ben, () => sandbox.stripe.portalChangePlan(row.subscriptionId, 'price_pro_yearly'));
		expect(textOf(plan)).toBe('Your subscription is now Pro plan (yearly): 290.00 USD per year.');
		const told = sent(ben).length;

		// Stripe redelivers the last update: nothing new to tell.
		const lastUpdate = sandbox.stripe.events.filter((e) => e.type === 'customer.subscription.updated').pop()!;
		expect((await sandbox.stripe.redeliver(lastUpdate.id)).status).toBe(200);
		await settled();
		expect(sent(ben)).toHaveLength(told);

		const cancelled = await after(ben, () => sandbox.stripe.portalCancel(row.subscriptionId, { atPeriodEnd: false }));
		expect(textOf(cancelled)).toBe('Your Pro plan (monthly) subscription has been cancelled. We hope to see you again!');
		expect((await ordersOf(ben))[0].status).toBe('cancelled');
	});

	it('no subscription in this chat: says so; a portal Stripe refuses (not set up): an apology, no link', async () => {
		const nobody = newCustomer('whatsapp');
		expect(textOf(await says('whatsapp', nobody, 'cancel my subscription'))).toMatch(/^I could not find a subscription for this chat/);

		const carla = newCustomer('whatsapp');
		await buyAndPay('whatsapp', carla, 'subscribe me to the pro plan');
		sandbox.stripe.setPortalConfigured(false);
		try {
			const answer = await says('whatsapp', carla, 'change my plan');
			expect(textOf(answer)).toContain('Sorry, something went wrong');
			expect(answer.urls ?? []).toEqual([]);
		} finally {
			sandbox.stripe.setPortalConfigured(true);
		}
	});
});

describe('refunds', () => {
	it('WhatsApp: a partial refund and then the rest — each one message with the exact amount; a redelivery sends nothing', async () => {
		const dora = newCustomer('whatsapp');
		const { sessionId } = await buyAndPay('whatsapp', dora, 'two welcome baskets please');
		const partial = await after(dora, () => sandbox.stripe.refund(sessionId, { amount: 1050 }));
		expect(textOf(partial)).toBe('We have refunded 10.50 USD of your order (Welcome basket × 2); 10.50 USD refunded in all. It reaches your account in a few days.');
		expect((await ordersOf(dora))[0]).toMatchObject({ status: 'partially_refunded', refunded: '10.50 USD' });
		const refundEvent = sandbox.stripe.events.filter((e) => e.type === 'charge.refunded').pop()!;
		await sandbox.stripe.redeliver(refundEvent.id);
		await settled();
		expect(sent(dora)).toHaveLength(3);
		const rest = await after(dora, () => sandbox.stripe.refund(sessionId));
		expect(textOf(rest)).toBe('We have refunded your order in full: 50.00 USD for Welcome basket × 2. It reaches your account in a few days.');
		expect((await ordersOf(dora))[0]).toMatchObject({ status: 'refunded', refunded: '50.00 USD' });
	});

	it('Instagram: a full refund of a booking, in its currency, exact', async () => {
		const eve = newCustomer('instagram');
		const { sessionId } = await buyAndPay('instagram', eve, 'the deluxe room June 15-17');
		const refund = await after(eve, () => sandbox.stripe.refund(sessionId));
		expect(textOf(refund)).toMatch(/^We have refunded your order in full: 398\.00 USD for Grand Hotel Deluxe Room, 1 room × 2 nights/);
	});
});

describe('a person when asked', () => {
	it('the bot steps back, the team is notified, payments still confirm, and the bot answers again once released', async () => {
		const finn = newCustomer('whatsapp');
		const link = await says('whatsapp', finn, 'a welcome basket please');
		const handoff = await says('whatsapp', finn, 'can I talk to a person?');
		expect(textOf(handoff)).toBe('Thank you! A person from our team will answer you here soon.');
		const [chat] = (await sandbox.chats()).filter((r) => r.userId === finn);
		expect(Date.parse(chat.humanUntil)).toBeGreaterThan(Date.now() + 23 * 3_600_000);

		// While with a person: no answer from the bot, and the team sees the message.
		expect((await sandbox.customerSays('whatsapp', 'hello? is anyone there?', { from: finn })).status).toBe(200);
		await eventually('the team notified of both messages', async () => {
			const notes = await teamNotifications(finn);
			return notes.length >= 2 ? notes : undefined;
		}, WAIT_MS);
		const notes = await teamNotifications(finn);
		expect(notes.map((n) => n.text).sort()).toEqual(['can I talk to a person?', 'hello? is anyone there?']);
		expect(notes[0]).toMatchObject({ channel: 'whatsapp', customer: finn });
		await settled();
		expect(sent(finn)).toHaveLength(2);

		// Payments for this chat still update the row and confirm.
		const confirmation = await after(finn, () => sandbox.stripe.pay(sessionIdOf(link)));
		expect(textOf(confirmation)).toMatch(/^Payment received \(25\.00 USD\)/);

		// The operator releases the chat (clears humanUntil in the chats table): the bot answers again.
		await sandbox.api.updateRows(sandbox.tableIds.chat_checkout_chats, { id: chat.id }, { humanUntil: null });
		expect(textOf(await says('whatsapp', finn, 'hi'))).toMatch(/^Hello! Here is what we offer/);
	});

	it('on Instagram, the model reads a request for a person; after the set time the bot is back by itself', async () => {
		const gus = newCustomer('instagram');
		expect(textOf(await says('instagram', gus, 'I would like to speak to someone please'))).toBe('Thank you! A person from our team will answer you here soon.');
		const [chat] = (await sandbox.chats()).filter((r) => r.userId === gus);
		// The time the operator set has passed.
		await sandbox.api.updateRows(sandbox.tableIds.chat_checkout_chats, { id: chat.id }, { humanUntil: new Date(Date.now() - 60_000).toISOString() });
		expect(textOf(await says('instagram', gus, 'hello'))).toMatch(/^Hello! Here is what we offer/);
	});
});

describe('WhatsApp catalog carts', () => {
	it('a cart becomes a checkout straight away, priced from the catalog (never the cart\'s price), without the model', async () => {
		const hana = newCustomer('whatsapp');
		const modelCalls = sandbox.llm.requests.length;
		const before = sent(hana).length;
		expect((await sandbox.customerSendsCart([{ retailerId: 'welcome-basket', quantity: 3, price: 0.01 }], { from: hana })).status).toBe(200);
		const [link] = (await sandbox.graph.waitForSends(before + 1, { to: hana, timeoutMs: WAIT_MS })).slice(before);
		expect(textOf(link)).toBe('Here is your secure checkout link for Welcome basket × 3: 75.00 USD.');
		const session = sandbox.stripe.getSession(sessionIdOf(link));
		expect(session).toMatchObject({ amount_total: 7500, currency: 'usd' });
		expect(sandbox.llm.requests.length).toBe(modelCalls);
	});

	it('unknown retailer ids are named back with the offer, and nothing is charged', async () => {
		const ivo = newCustomer('whatsapp');
		const before = sent(ivo).length;
		await sandbox.customerSendsCart([{ retailerId: 'welcome-basket', quantity: 1 }, { retailerId: 'SKU-MUG', quantity: 2 }], { from: ivo });
		const [reply] = (await sandbox.graph.waitForSends(before + 1, { to: ivo, timeoutMs: WAIT_MS })).slice(before);
		expect(textOf(reply)).toContain('Sorry, these items of your cart are not in our shop: "SKU-MUG".');
		expect(textOf(reply)).toContain('Nothing was charged');
		expect(reply.urls ?? []).toEqual([]);
		expect(await ordersOf(ivo)).toEqual([]);
	});
});

describe('Instagram edits and Meta\'s dashboard test', () => {
	it('an edited message changes the pending order: the new link replaces the old one', async () => {
		const jo = newCustomer('instagram');
		const before = sent(jo).length;
		const first = await sandbox.customerSays('instagram', 'the deluxe room June 20-22', { from: jo });
		const [link] = (await sandbox.graph.waitForSends(before + 1, { to: jo, timeoutMs: WAIT_MS })).slice(before);
		expect(textOf(link)).toContain('1 room × 2 nights');
		const edited = await after(jo, () => sandbox.customerEdits(first.messageId, 'the deluxe room June 20-23', { from: jo }));
		expect(textOf(edited)).toMatch(/^I have updated your order; the previous link no longer works\.\nHere is your secure checkout link for Grand Hotel Deluxe Room, 1 room × 3 nights/);
		expect(sandbox.stripe.getSession(sessionIdOf(link))!.status).toBe('expired');
	});

	it('the App Dashboard\'s "Test" sample starts no run on either channel, is answered 200 and logged', async () => {
		const runsBefore = await settled();
		expect((await sandbox.dashboardTest('whatsapp')).status).toBe(200);
		expect((await sandbox.dashboardTest('instagram')).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 4000)); // past the quiet window
		expect(await settled()).toBe(runsBefore);
		expect(sandbox.n8n.logs()).toContain("Meta's dashboard test event received: your callback works");
	});
});

describe('every run of these conversations', () => {
	it('ended well: no run of either workflow failed (a portal Stripe refused is answered on the error output)', async () => {
		await settled();
		const executions = await Promise.all(Object.values(sandbox.workflowIds as Record<string, string>).map((id) => sandbox.api.listExecutions(id)));
		expect(executions.flat().filter((e) => e.status === 'error')).toEqual([]);
	});
});
