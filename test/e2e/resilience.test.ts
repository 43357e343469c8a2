/**
 * Faults on the way out: the Graph API throttling or failing in bursts, and n8n killed in the middle of a run
 * that Stripe started. Real n8n with the packed pack and the shipped template; the simulators misbehave on cue.
 *
 * The template's claim lease is shortened to 10 s here (shipped: 120 s) and the Stripe simulator retries failed
 * deliveries every few seconds (Stripe itself spreads retries over days), so a recovery takes seconds, not hours.
 */
import { customerIds, type Sandbox, sandboxForFile } from './harness/sandboxForFile';
import { eventually } from '../../tools/wait';
import type { SentMessage } from '../../tools/sandbox/graph';

let sandbox: Sandbox;

const LEASE_SECONDS = 10;
const STRIPE_RETRIES_MS = [2_000, 4_000, 6_000, 8_000, 10_000, 10_000, 10_000, 10_000];

const newCustomer = customerIds({ whatsapp: '49152000', instagram: '71000000000' });

const sessionIdOf = (link: SentMessage): string => link.urls[0].slice(link.urls[0].lastIndexOf('/') + 1);
const confirmationsTo = (user: string) => sandbox.graph.sentTo(user).filter((s) => s.text.includes('Payment received'));
const linksTo = (user: string) => sandbox.graph.sentTo(user).filter((s) => s.text.includes('secure checkout link'));

async function rowOf(sessionId: string) {
	const rows = (await sandbox.orders()).filter((r) => r.sessionId === sessionId);
	expect(rows).toHaveLength(1);
	return rows[0];
}

sandboxForFile((started) => (sandbox = started), { replyLeaseSeconds: LEASE_SECONDS, stripeRetryDelaysMs: STRIPE_RETRIES_MS });

afterEach(() => {
	sandbox.graph.failWhen(null);
});

describe('the Graph API throttling and failing in bursts', () => {
	it('every link and every confirmation is delivered once, none twice', async () => {
		const { graph } = sandbox;
		// Every distinct message meets a burst: first 429 (throttled), then a 5xx, then it goes through.
		const burst = [
			{ status: 429, body: { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'Aburst' } } },
			{ status: 503, body: { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true, fbtrace_id: 'Aburst' } } },
		];
		// …except one confirmation, whose outage outlasts the node's own retries (1 try + 3 retries): that run
		// fails, Stripe retries the event, and the reply it still owes goes out after the claim lease.
		const longOutage: { for?: string } = {};
		graph.failWhen((call) => {
			if (call.to === longOutage.for && call.body?.text?.body?.includes?.('Payment received') && call.attempt < 5) return burst[1];
			return burst[call.attempt];
		});

		const customers = [...[1, 2, 3].map(() => newCustomer('whatsapp')), ...[1, 2, 3].map(() => newCustomer('instagram'))];
		const channelOf = (user: string) => (user.startsWith('49') ? 'whatsapp' : 'instagram');
		const deliveries = await Promise.all(customers.map((user) => sandbox.customerSays(channelOf(user), 'I want to book the Deluxe Suite for June 15-17', { from: user })));
		expect(deliveries.map((d) => d.status)).toEqual(customers.map(() => 200));
		const links = await Promise.all(customers.map(async (user) => (await graph.waitForSends(1, { to: user, timeoutMs: 60_000 }))[0]));

		longOutage.for = customers[0]; // a WhatsApp customer
		const payments = await Promise.all(links.map((link) => sandbox.stripe.pay(sessionIdOf(link))));
		const completed = payments.map((p) => p.events.find((e) => e.type === 'checkout.session.completed')!);
		await Promise.all(completed.map((event) => sandbox.stripe.waitForDelivered(event.id, { timeoutMs: 90_000 })));
		for (const user of customers) await graph.waitForSends(2, { to: user, timeoutMs: 30_000 });
		await new Promise((resolve) => setTimeout(resolve, 1_500)); // room for a duplicate to show up

		for (const user of customers) {
			expect([user, linksTo(user).length, confirmationsTo(user).length]).toEqual([user, 1, 1]);
		}
		// The bursts really happened: each of the 12 messages was refused at least twice before it went through.
		const refused = graph.attempts.filter((a) => a.injected && a.to !== null && customers.includes(a.to));
		expect(refused.length).toBeGreaterThanOrEqual(customers.length * 2 * 2);
		expect(refused.map((a) => a.status)).toEqual(expect.arrayContaining([429, 503]));
		// The long outage made its run fail (5xx to Stripe) and a later delivery of the same event sent the reply.
		const longEvent = sandbox.stripe.events.find((e) => e.id === completed[0].id)!;
		expect(longEvent.deliveries.some((d) => (d.status ?? 0) >= 500)).toBe(true);
		expect(longEvent.deliveries[longEvent.deliveries.length - 1].status).toBe(200);
		for (const link of links) {
			const row = await rowOf(sessionIdOf(link));
			expect([row.status, row.repliedNotice]).toEqual(['paid', 'paid']);
		}
	}, 180_000);
});

describe('n8n killed during a run that Stripe started', () => {
	it('SIGKILL while the confirmation is on its way → Stripe retries after the restart → paid once, confirmed once', async () => {
		const { graph, stripe } = sandbox;
		const user = newCustomer('whatsapp');
		await sandbox.customerSays('whatsapp', 'I want to book the Deluxe Suite for June 15-17', { from: user });
		const [link] = await graph.waitForSends(1, { to: user, timeoutMs: 60_000 });
		const sessionId = sessionIdOf(link);

		// The run marks the order paid, claims the reply, and is killed while its send is on the way to Meta.
		const hold = graph.holdSends();
		const paying = stripe.pay(sessionId);
		await hold.waitForHeld(1, { timeoutMs: 30_000 });
		const midRun = await rowOf(sessionId);
		expect(midRun.status).toBe('paid');
		expect(midRun.repliedNotice).toBe('open');
		expect(Number(midRun.replyClaimedAt)).toBeGreaterThan(0);
		await sandbox.killN8n();
		// The held call's connection closes with n8n; the simulator may see that a moment after the kill returned.
		// Released before that, it would answer a dead socket as if the call had been accepted.
		await eventually('the held send abandoned by the killed n8n', () => graph.attempts.some((a) => a.to === user && a.abandoned), 15_000);
		hold.release();
		const paid = await paying;
		const completed = paid.events.find((e) => e.type === 'checkout.session.completed')!;
		expect(completed.deliveries[0].status).toBeNull(); // the connection died with n8n
		expect(graph.attempts.filter((a) => a.to === user && a.abandoned)).toHaveLength(1);

		await sandbox.restartN8n();
		await stripe.waitForDelivered(completed.id, { timeoutMs: 90_000 });
		await graph.waitForSends(2, { to: user, timeoutMs: 30_000 });
		await new Promise((resolve) => setTimeout(resolve, 1_500));

		expect(confirmationsTo(user)).toHaveLength(1);
		expect(linksTo(user)).toHaveLength(1);
		const row = await rowOf(sessionId);
		expect([row.status, row.repliedNotice]).toEqual(['paid', 'paid']);
		// Deliveries inside the lease failed (the claim of the dead run still held) and were retried; the first
		// after the lease took the claim over and sent the reply.
		const statuses = completed.deliveries.map((d) => d.status);
		expect(statuses[statuses.length - 1]).toBe(200);
		expect(statuses.filter((s) => s === 200)).toHaveLength(1);

		// A later redelivery of the same event finds nothing owed.
		const again = await stripe.redeliver(completed.id);
		expect(again.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(confirmationsTo(user)).toHaveLength(1);
	}, 240_000);
});
