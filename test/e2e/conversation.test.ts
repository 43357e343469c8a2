/**
 * Conversations as customers hold them, in the real n8n sandbox with the shipped template: questions asked
 * and answered, numbers refused out loud, a change of mind before paying, a cancel, an order left idle,
 * greetings and button taps, bursts of quick messages, two customers at once, wrong dates explained — each
 * ending with a payment and its confirmation where it should.
 */
import { type Channel, customerIds, type Sandbox, sandboxForFile } from './harness/sandboxForFile';
import type { SentMessage } from '../../tools/sandbox/graph';
import { settledExecutionCount } from '../../tools/wait';

let sandbox: Sandbox;
const newCustomer = customerIds({ whatsapp: '49152000', instagram: '71000000000' });

const REPLY_TIMEOUT_MS = 45_000; // the 3 s quiet window, the model, Stripe and the send
const sessionsCreated = () => sandbox.stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions' && r.status === 200);
const sessionsFor = (user: string) => sessionsCreated().filter((r) => r.params.metadata?.chat_user_id === user);
const ordersOf = async (user: string) => (await sandbox.orders()).filter((r) => r.userId === user);
const chatOf = async (user: string) => (await sandbox.chats()).filter((r) => r.userId === user);

/** What the customer reads: the message text, without the button labels the simulator appends to `text`. */
function textOf(send: SentMessage): string {
	const body = send.body;
	return body.text?.body ?? body.interactive?.body?.text ?? body.message?.attachment?.payload?.text ?? body.message?.text ?? '';
}

function buttonsOf(send: SentMessage): Array<{ id: string; title: string }> {
	const wa = send.body.interactive?.action?.buttons;
	if (Array.isArray(wa)) return wa.map((b) => ({ id: b.reply.id, title: b.reply.title }));
	const ig = send.body.message?.quick_replies;
	return Array.isArray(ig) ? ig.map((q) => ({ id: q.payload, title: q.title })) : [];
}

const sessionIdOf = (send: SentMessage) => send.urls[0].slice(send.urls[0].lastIndexOf('/') + 1);

/** The customer writes, then waits for the shop's next message (the n-th to this customer). */
async function says(channel: Channel, user: string, text: string): Promise<SentMessage> {
	const before = sandbox.graph.sentTo(user).length;
	const delivery = await sandbox.customerSays(channel, text, { from: user });
	expect(delivery.status).toBe(200);
	const sends = await sandbox.graph.waitForSends(before + 1, { to: user, timeoutMs: REPLY_TIMEOUT_MS });
	return sends[before];
}

/** Pays a link on the sandbox checkout page and waits for the confirmation in the chat. */
async function paysAndIsConfirmed(user: string, link: SentMessage): Promise<SentMessage> {
	const sessionId = sessionIdOf(link);
	const before = sandbox.graph.sentTo(user).length;
	const paid = await sandbox.stripe.pay(sessionId);
	expect(paid.events.every((e) => e.status === 200)).toBe(true);
	const sends = await sandbox.graph.waitForSends(before + 1, { to: user, timeoutMs: REPLY_TIMEOUT_MS });
	const confirmation = sends[before];
	expect(textOf(confirmation)).toMatch(/Payment received|subscription is active/);
	expect(textOf(confirmation)).not.toContain('undefined');
	return confirmation;
}

/** Nothing is charged for yet; then the customer's `text` gets the link, and paying it the confirmation. */
async function noLinkYetThenPays(channel: Channel, user: string, text: string): Promise<SentMessage> {
	expect(sessionsFor(user)).toHaveLength(0);
	const link = await says(channel, user, text);
	return await paysAndIsConfirmed(user, link);
}

sandboxForFile((started) => (sandbox = started));

describe('dates asked, then given', () => {
	it('"I want the deluxe room" → which dates? → "June 20-23 please" → a link for 3 nights → paid → confirmed', async () => {
		const user = newCustomer('whatsapp');
		const question = await says('whatsapp', user, 'I want the deluxe room');
		expect(textOf(question)).toBe('For the Grand Hotel Deluxe Room, which dates would you like (for example "June 20-23")?');
		expect(sessionsFor(user)).toHaveLength(0);
		expect(JSON.parse((await chatOf(user))[0].pending)).toMatchObject({ productKey: 'deluxe-room' });

		const link = await says('whatsapp', user, 'June 20-23 please');
		expect(link.body.interactive.type).toBe('cta_url');
		expect(textOf(link)).toMatch(/^Here is your secure checkout link for Grand Hotel Deluxe Room, 1 room × 3 nights \(\w{3}, Jun 20, \d{4} → \w{3}, Jun 23, \d{4}\): 597\.00 USD\.$/);
		const [session] = sessionsFor(user);
		expect(session.params.line_items).toEqual([
			expect.objectContaining({ quantity: '3', price_data: expect.objectContaining({ unit_amount: '19900', currency: 'usd', product_data: expect.objectContaining({ name: 'Grand Hotel Deluxe Room, 1 room × 3 nights' }) }) }),
		]);
		const confirmation = await paysAndIsConfirmed(user, link);
		expect(textOf(confirmation)).toContain('597.00 USD');
		const [row] = await ordersOf(user);
		expect(row).toMatchObject({ status: 'paid', quantity: 1, nights: 3, total: '597.00 USD', amountTotal: 59700 });
		expect((await chatOf(user))[0]).toMatchObject({ pending: '', sessionId: '' }); // paid: the next message starts afresh
	});

	it('"deluxe room for 2 nights" without dates asks when the stay starts; "tomorrow" completes it', async () => {
		const user = newCustomer('instagram');
		const question = await says('instagram', user, 'deluxe room for 2 nights');
		expect(textOf(question)).toContain('which dates');
		const link = await says('instagram', user, 'tomorrow');
		expect(textOf(link)).toContain('1 room × 2 nights');
		await paysAndIsConfirmed(user, link);
	});
});

describe('numbers are honoured or refused out loud', () => {
	it('50 rooms is above the catalog\'s limit: refused and asked again; "2 rooms" → 2 rooms × 3 nights = 6 room-nights', async () => {
		const user = newCustomer('instagram');
		const refused = await says('instagram', user, '50 deluxe rooms June 20-23');
		expect(textOf(refused)).toBe(
			'We can take at most 5 rooms of the Grand Hotel Deluxe Room per order, not 50.\nHow many rooms of the Grand Hotel Deluxe Room would you like (1 to 5)?',
		);
		expect(sessionsFor(user)).toHaveLength(0);
		const link = await says('instagram', user, 'two rooms');
		const [session] = sessionsFor(user);
		expect(session.params.line_items[0]).toMatchObject({ quantity: '6', price_data: { unit_amount: '19900', product_data: { name: 'Grand Hotel Deluxe Room, 2 rooms × 3 nights' } } });
		expect(textOf(link)).toContain(': 1194.00 USD.');
		await paysAndIsConfirmed(user, link);
	});

	it('1000000 Pro plans: refused with the limit, never charged as one', async () => {
		const user = newCustomer('whatsapp');
		const refused = await says('whatsapp', user, '1000000 Pro plans');
		expect(textOf(refused)).toContain('at most 20 seats of the Pro plan (monthly) per order, not 1000000');
		expect(sessionsFor(user)).toHaveLength(0);
	});
});

describe('a change of mind before paying', () => {
	it('"make it 3 nights" → a new link; the old session is expired at Stripe, so only one link can be paid', async () => {
		const user = newCustomer('whatsapp');
		const first = await says('whatsapp', user, 'deluxe room June 20-22');
		expect(textOf(first)).toContain('1 room × 2 nights');
		const second = await says('whatsapp', user, 'make it 3 nights');
		expect(textOf(second)).toMatch(/^I have updated your order; the previous link no longer works\.\nHere is your secure checkout link for Grand Hotel Deluxe Room, 1 room × 3 nights/);
		const [oldId, newId] = [sessionIdOf(first), sessionIdOf(second)];
		expect(newId).not.toBe(oldId);
		expect(sandbox.stripe.getSession(oldId)!.status).toBe('expired');
		expect(sandbox.stripe.getSession(newId)!.status).toBe('open');
		await expect(sandbox.stripe.pay(oldId)).rejects.toThrow();
		await paysAndIsConfirmed(user, second);
		await settledExecutionCount(sandbox.api, sandbox.workflowIds);
		const rows = await ordersOf(user);
		expect(rows.map((r) => [r.sessionId, r.status]).sort()).toEqual([[oldId, 'replaced'], [newId, 'paid']].sort());
		// The old session's expiry event found nothing to tell: no "fresh link" for a link the customer replaced.
		expect(sandbox.graph.sentTo(user)).toHaveLength(3);
	});
});

describe('cancel', () => {
	it('"cancel" after the link: the order is dropped, its link no longer works, nothing else is sent', async () => {
		const user = newCustomer('instagram');
		const link = await says('instagram', user, 'I would like the Pro plan');
		const sessionId = sessionIdOf(link);
		const cancelled = await says('instagram', user, 'cancel');
		expect(textOf(cancelled)).toBe('Your order is cancelled and its payment link no longer works. Write to us any time to order again.');
		expect(sandbox.stripe.getSession(sessionId)!.status).toBe('expired');
		await settledExecutionCount(sandbox.api, sandbox.workflowIds);
		expect((await ordersOf(user)).map((r) => r.status)).toEqual(['cancelled']);
		expect((await chatOf(user))[0]).toMatchObject({ pending: '', sessionId: '', checkoutUrl: '' });
		expect(sandbox.graph.sentTo(user)).toHaveLength(2);
	});
});

describe('an order left idle', () => {
	it('after the idle time the pending order is set aside, and the customer is told so once', async () => {
		const user = newCustomer('whatsapp');
		await says('whatsapp', user, 'I want the deluxe room');
		// A day passes: the chat's pending order was last changed 25 hours ago.
		const [chat] = await chatOf(user);
		const pending = { ...JSON.parse(chat.pending), updatedAt: new Date(Date.now() - 25 * 3_600_000).toISOString() };
		await sandbox.api.updateRows(sandbox.tableIds.chat_checkout_chats, { id: chat.id }, { pending: JSON.stringify(pending) });
		const reply = await says('whatsapp', user, 'June 20-23');
		expect(textOf(reply)).toMatch(/^Your earlier order was not finished in time, so I have set it aside\.\nWhich would you like\? We offer:/);
		await noLinkYetThenPays('whatsapp', user, 'the deluxe room June 20-23');
	});
});

describe('greetings and buttons', () => {
	it('"hi!" gets the offer with a button per product; tapping "Welcome basket" makes its link without the model', async () => {
		const user = newCustomer('whatsapp');
		const welcome = await says('whatsapp', user, 'hi!');
		expect(textOf(welcome)).toMatch(/^Hello! Here is what we offer:\n• Grand Hotel Deluxe Room: 199\.00 USD per night\n• Pro plan \(monthly\): 29\.00 USD per month\n• Welcome basket: 25\.00 USD\nWhat would you like\?$/);
		const buttons = buttonsOf(welcome);
		expect(buttons.map((b) => b.id)).toEqual(['product:deluxe-room', 'product:saas-pro-monthly', 'product:welcome-basket']);
		const modelCalls = sandbox.llm.requests.length;
		await sandbox.customerSays('whatsapp', '', { from: user, reply: buttons[2], replyTo: welcome.messageId! });
		const [, link] = await sandbox.graph.waitForSends(2, { to: user, timeoutMs: REPLY_TIMEOUT_MS });
		expect(textOf(link)).toBe('Here is your secure checkout link for Welcome basket: 25.00 USD.');
		expect(sandbox.llm.requests.length).toBe(modelCalls);
		await paysAndIsConfirmed(user, link);
	});

	it('on Instagram the offer comes as quick replies, and a greeting mid-order repeats the open question', async () => {
		const user = newCustomer('instagram');
		const welcome = await says('instagram', user, 'hello');
		expect(buttonsOf(welcome)).toHaveLength(3);
		await says('instagram', user, 'the deluxe room');
		const again = await says('instagram', user, 'good morning!');
		expect(textOf(again)).toBe('Hello again!\nFor the Grand Hotel Deluxe Room, which dates would you like (for example "June 20-23")?');
	});
});

describe('quick messages read together', () => {
	it('"hi" / "deluxe room" / "june 20-23" within a second → one run, one answer: the link', async () => {
		const user = newCustomer('whatsapp');
		const runsBefore = (await sandbox.api.listExecutions(sandbox.workflowId)).length;
		const modelCalls = sandbox.llm.requests.length;
		for (const text of ['hi', 'deluxe room', 'june 20-23']) {
			expect((await sandbox.customerSays('whatsapp', text, { from: user })).status).toBe(200);
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
		const [link] = await sandbox.graph.waitForSends(1, { to: user, timeoutMs: REPLY_TIMEOUT_MS });
		expect(textOf(link)).toContain('1 room × 3 nights');
		await settledExecutionCount(sandbox.api, sandbox.workflowIds);
		await new Promise((resolve) => setTimeout(resolve, 4000)); // past the quiet window: nothing else comes
		expect(sandbox.graph.sentTo(user)).toHaveLength(1);
		expect((await sandbox.api.listExecutions(sandbox.workflowId)).length).toBe(runsBefore + 1);
		const calls = sandbox.llm.requests.slice(modelCalls).filter((r) => r.api === 'chat');
		expect(calls).toHaveLength(1);
		expect(calls[0].lastUserText).toBe('hi\ndeluxe room\njune 20-23');
		await paysAndIsConfirmed(user, link);
	});
});

describe('two customers at the same time', () => {
	it('interleaved messages on both channels: each gets the order they asked for, never the other\'s', async () => {
		const ada = newCustomer('whatsapp');
		const ben = newCustomer('instagram');
		const [adaAsked, benAsked] = await Promise.all([says('whatsapp', ada, 'deluxe room please'), says('instagram', ben, 'the pro plan')]);
		expect(textOf(adaAsked)).toContain('which dates');
		expect(textOf(benAsked)).toContain('Pro plan (monthly)'); // Ben's order is complete already: his link
		const adaLink = await says('whatsapp', ada, 'June 20-23');
		expect(textOf(adaLink)).toContain('Grand Hotel Deluxe Room, 1 room × 3 nights');
		expect(sessionsFor(ada)).toHaveLength(1);
		expect(sessionsFor(ben)).toHaveLength(1);
		expect(sessionsFor(ben)[0].params.mode).toBe('subscription');
		expect(sessionsFor(ada)[0].params.mode).toBe('payment');
		const [adaChat, benChat] = [(await chatOf(ada))[0], (await chatOf(ben))[0]];
		expect(adaChat.channel).toBe('whatsapp');
		expect(benChat.channel).toBe('instagram');
		expect(adaChat.sessionId).not.toBe(benChat.sessionId);
		await paysAndIsConfirmed(ada, adaLink);
		await paysAndIsConfirmed(ben, benAsked);
	});
});

describe('wrong dates, explained', () => {
	it('check-out before check-in, and a date in the past, are each explained; the right dates then make the link', async () => {
		const user = newCustomer('whatsapp');
		const reversed = await says('whatsapp', user, 'deluxe room from June 23 to June 20');
		expect(textOf(reversed)).toMatch(/^The check-out date \(\w{3}, Jun 20, \d{4}\) must be after the check-in date \(\w{3}, Jun 23, \d{4}\)\./);
		const lastYear = new Date().getUTCFullYear() - 1;
		const past = await says('whatsapp', user, `June 20 ${lastYear} to June 23 ${lastYear}`);
		expect(textOf(past)).toMatch(new RegExp(`^\\w{3}, Jun 20, ${lastYear} is in the past\\.`));
		await noLinkYetThenPays('whatsapp', user, 'June 20 to June 23');
	});
});

describe('the README\'s sample dialogue', () => {
	it('runs as printed: a question, an answer with a count, a change of mind, a payment', async () => {
		const user = newCustomer('whatsapp');
		expect(textOf(await says('whatsapp', user, "hi, I'd like the deluxe room"))).toBe(
			'For the Grand Hotel Deluxe Room, which dates would you like (for example "June 20-23")?',
		);
		const first = await says('whatsapp', user, 'june 20-23, two rooms');
		expect(textOf(first)).toMatch(/^Here is your secure checkout link for Grand Hotel Deluxe Room, 2 rooms × 3 nights \(\w{3}, Jun 20, \d{4} → \w{3}, Jun 23, \d{4}\): 1194\.00 USD\.$/);
		const second = await says('whatsapp', user, 'actually make it 2 nights');
		expect(textOf(second)).toMatch(/^I have updated your order; the previous link no longer works\.\nHere is your secure checkout link for Grand Hotel Deluxe Room, 2 rooms × 2 nights \(.*\): 796\.00 USD\.$/);
		const confirmation = await paysAndIsConfirmed(user, second);
		expect(textOf(confirmation)).toMatch(/^Payment received \(796\.00 USD\), thank you! Your order is confirmed: Grand Hotel Deluxe Room, 2 rooms × 2 nights \(.*\)\. Reference: cs_/);
	});
});

describe('every run of these conversations', () => {
	it('ended well: no execution of either workflow failed', async () => {
		await settledExecutionCount(sandbox.api, sandbox.workflowIds);
		const executions = await Promise.all(Object.values(sandbox.workflowIds as Record<string, string>).map((id) => sandbox.api.listExecutions(id)));
		expect(executions.flat().filter((e) => e.status === 'error')).toEqual([]);
	});
});
