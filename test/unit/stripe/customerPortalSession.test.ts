/**
 * Stripe Checkout → Create Customer Portal Session inside n8n-core's ExecuteContext, with the real Stripe SDK
 * talking to the Stripe simulator: the exact form-encoded request, the idempotency key's rules, the output,
 * and the errors an operator can act on (no portal saved in the Dashboard, an unknown customer). The
 * customers are real ones of the simulator: each paid a checkout first.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CreateStripeCheckout } from '../../../nodes/CreateStripeCheckout/CreateStripeCheckout.node';
import { PORTAL_KEY_WINDOW_MS } from '../../../nodes/shared/stripe/portal/portalSession';
import { sentForm } from '../../support/unitStripe';
import { useStripeCheckoutNode } from './stripeCheckoutNode';

const CHAT_REF = { channel: 'whatsapp', accountId: '100000000000001', userId: '4915112345678' };
const MESSAGE_ID = 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFDNBQ0E';
const RETURN_URL = 'https://shop.test/account';

const node = useStripeCheckoutNode({ resource: 'customerPortalSession', operation: 'create', returnUrl: RETURN_URL });

/** A customer Stripe made when they paid a checkout (with the test's own key); their ID. */
async function payingCustomer(email = 'ana@example.com'): Promise<string> {
	const { id } = await node.stripe.setup.checkout.sessions.create({
		mode: 'payment',
		customer_creation: 'always',
		line_items: [{ price_data: { currency: 'eur', unit_amount: 1250, product_data: { name: 'Cortado' } }, quantity: 1 }],
		success_url: 'https://shop.test/thanks',
	});
	const { session } = await node.stripe.sim.pay(id, { email });
	return String(session?.customer);
}

/** The portal sessions Stripe made, oldest first. */
const portalSessions = () => [...node.stripe.sim.portalSessions.values()];

let customerId: string;
beforeEach(async () => {
	customerId = await payingCustomer();
});

function item(extra: IDataObject = {}): INodeExecutionData {
	return { json: { customerId, chatRef: { ...CHAT_REF }, messageId: MESSAGE_ID, ...extra } };
}

const posts = () => node.stripe.requests.filter((request) => request.method === 'POST' && request.path === '/v1/billing_portal/sessions');
const keys = () => posts().map((request) => String(request.headers['idempotency-key']));

async function failure(items: INodeExecutionData[], parameters: INodeParameters = {}) {
	return await node.failure(parameters, items);
}

describe('Create Customer Portal Session: the request and the output', () => {
	it('creates a session for the item\'s customer (the default {{ $json.customerId }}), with the return URL and an idempotency key', async () => {
		const output = await node.run({}, [item()]);

		expect(posts()).toHaveLength(1);
		const [request] = posts();
		expect(sentForm(request)).toEqual({ customer: customerId, return_url: RETURN_URL });
		expect(request.headers.authorization).toBe(`Bearer ${node.secretKey}`);
		expect(keys()[0]).toMatch(/^cc1-portal-[0-9a-f]{64}$/);
		const [portal] = portalSessions();
		expect(portalSessions()).toHaveLength(1);
		expect(portal).toMatchObject({ customer: customerId, return_url: RETURN_URL, url: `${node.stripe.baseUrl}/portal/${portal.id}` });
		expect(output).toEqual([
			{
				json: {
					url: portal.url,
					portalSessionId: portal.id,
					customerId,
					expiresAt: null,
					returnUrl: RETURN_URL,
					livemode: false,
					idempotencyKey: keys()[0],
					chatRef: CHAT_REF,
					messageId: MESSAGE_ID,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends a configuration and a locale when set, and leaves "auto" and an empty return URL out', async () => {
		// The configuration Stripe saved for this account's portal, as a portal session of the test's own names it.
		const { configuration } = await node.stripe.setup.billingPortal.sessions.create({ customer: customerId });
		const configurationId = String(configuration);

		const [configured] = await node.run({ returnUrl: '', options: { configurationId, locale: 'pt-BR' } }, [item()]);
		await node.run({ options: { locale: 'auto' } }, [item()]);

		expect(posts().map(sentForm)).toEqual([
			{ customer: customerId, configuration: configurationId, locale: 'pt-BR' },
			{ customer: customerId, return_url: RETURN_URL },
		]);
		expect(posts().map((request) => request.status)).toEqual([200, 200]);
		expect(configured.json).toMatchObject({ portalSessionId: portalSessions()[1].id, returnUrl: null, expiresAt: null });
		expect(portalSessions()[1]).toMatchObject({ configuration: configurationId, locale: 'pt-BR', return_url: null });
	});

	it('reports Stripe\'s expiry of the session when Stripe gives one', async () => {
		// The simulator's portal sessions have no after_expiration, so this one answer is scripted through its
		// failure injection (a 200 with a body): a real portal session of this customer plus Stripe's field.
		const real = await node.stripe.setup.billingPortal.sessions.create({ customer: customerId, return_url: RETURN_URL });
		const answer = { ...real, after_expiration: { type: 'customer_login', customer_login: { expires_at: 1_800_003_600 } } };
		node.stripe.sim.failNext({ status: 200, method: 'POST', path: '/v1/billing_portal/sessions', body: answer });

		const [output] = await node.run({}, [item()]);

		expect(posts().map((request) => request.injected)).toEqual([true]);
		expect(output.json).toMatchObject({ portalSessionId: real.id, expiresAt: new Date(1_800_003_600 * 1000).toISOString() });
	});

	it('one session per item, each paired with its own item and customer', async () => {
		const other = await payingCustomer('bo@example.com');
		const output = await node.run({}, [item(), item({ customerId: other, messageId: 'wamid.OTHER' })]);
		expect(output.map((o) => [o.json.customerId, o.pairedItem])).toEqual([
			[customerId, { item: 0 }],
			[other, { item: 1 }],
		]);
		expect(portalSessions().map((portal) => portal.customer)).toEqual([customerId, other]);
		expect(new Set(keys()).size).toBe(2);
	});
});

describe('Create Customer Portal Session: idempotency', () => {
	it('a repeat of the same message within the 5-minute window is the same request; a later one makes a fresh link', async () => {
		const start = Math.floor(Date.now() / PORTAL_KEY_WINDOW_MS) * PORTAL_KEY_WINDOW_MS;
		const clock = jest.spyOn(Date, 'now');

		clock.mockReturnValue(start + 1_000);
		await node.run({}, [item()]);
		clock.mockReturnValue(start + PORTAL_KEY_WINDOW_MS - 1_000);
		await node.run({}, [item()]);
		clock.mockReturnValue(start + PORTAL_KEY_WINDOW_MS + 1_000);
		await node.run({}, [item()]);

		const [first, repeat, later] = keys();
		expect(repeat).toBe(first);
		expect(later).not.toBe(first);
		expect(posts().map((request) => request.replayed)).toEqual([false, true, false]);
		expect(portalSessions()).toHaveLength(2);
	});

	it('another customer, return URL or chat message is another key; without a message the run and the item make it', async () => {
		const other = await payingCustomer('bo@example.com');
		const clock = jest.spyOn(Date, 'now').mockReturnValue(Math.floor(Date.now() / PORTAL_KEY_WINDOW_MS) * PORTAL_KEY_WINDOW_MS + 1_000);
		await node.run({}, [item()]);
		await node.run({}, [item({ customerId: other })]);
		await node.run({ returnUrl: 'https://shop.test/other' }, [item()]);
		await node.run({}, [item({ messageId: 'wamid.ANOTHER' })]);
		await node.run({}, [item({ messageId: undefined }), item({ messageId: undefined })]);
		await node.run({}, [item({ messageId: undefined })]);
		clock.mockRestore();

		const all = keys();
		expect(new Set(all.slice(0, 6)).size).toBe(6); // the two items of one run differ by index
		expect(all[6]).toBe(all[4]); // the same run and item (the harness keeps one execution id)
		expect(posts().map((request) => request.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
	});
});

describe('Create Customer Portal Session: errors an operator can act on', () => {
	it('no portal saved in the Dashboard: names Settings → Billing → Customer portal → Save, in the key\'s mode', async () => {
		node.stripe.sim.setPortalConfigured(false);

		const error = await failure([item()]);

		const [request] = posts();
		expect(request.status).toBe(400);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`Stripe's Customer Portal is not set up in test mode yet (request ${request.requestId})`);
		expect(error.description).toContain('Stripe Dashboard → Settings → Billing → Customer portal in test mode and click Save');
		expect(error.description).toContain('Test mode and live mode are saved separately');
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(0);
	});

	it('an unknown customer: names the customer and where to look', async () => {
		const error = await failure([item({ customerId: 'cus_Gone999' })]);
		const [request] = posts();
		expect(request.status).toBe(400);
		expect(error.message).toBe(`Stripe has no customer cus_Gone999 (request ${request.requestId})`);
		expect(error.description).toContain('Stripe Dashboard → Customers');
		expect(error.description).toContain('live mode are invisible to this test mode key');
	});

	it('an unknown configuration: names it and the way back to the default', async () => {
		const error = await failure([item()], { options: { configurationId: 'bpc_1Nope' } });
		expect(posts().map((request) => request.status)).toEqual([400]);
		expect(error.message).toMatch(/^Stripe has no customer portal configuration bpc_1Nope \(request /);
		expect(error.description).toContain('Leave Options → Configuration ID empty');
	});

	it('other Stripe errors keep the general explanation (a restricted key names its missing permission)', async () => {
		node.stripe.sim.failNext({ status: 403, error: { type: 'invalid_request_error', message: 'The provided key does not have the required permissions for this endpoint.' } });
		const error = await failure([item()]);
		expect(posts().map((request) => request.status)).toEqual([403]);
		expect(error.message).toContain('"Customer portal: Write"');
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(node.secretKey);
	});

	it('refuses a missing or malformed customer, configuration or return URL before calling Stripe, naming the field', async () => {
		const cases: Array<[IDataObject, INodeParameters, RegExp]> = [
			[{ customerId: '' }, {}, /^Customer ID: is empty: map the customer of the order/],
			[{ customerId: undefined }, {}, /^Customer ID: is empty/],
			[{ customerId: 'sub_1Test' }, {}, /^Customer ID: "sub_1Test" is not a Stripe customer ID \(cus_…\)/],
			[{}, { options: { configurationId: 'default' } }, /^Options → Configuration ID: "default" is not a portal configuration ID/],
			[{}, { returnUrl: 'shop.test/account' }, /^Return URL: "shop.test\/account" is not an absolute URL/],
		];
		for (const [json, parameters, expected] of cases) {
			const error = await failure([item(json)], parameters);
			expect([error instanceof NodeOperationError, error.message]).toEqual([true, expect.stringMatching(expected)]);
		}
		expect(posts()).toHaveLength(0);
	});

	it('with Continue On Fail a failed item keeps its chat (to answer the customer) and the others go on', async () => {
		const fine = await payingCustomer('bo@example.com');
		const output = await node.run({}, [item({ customerId: 'cus_Gone999' }), item({ customerId: fine, messageId: 'wamid.FINE' })], true);
		expect(output).toHaveLength(2);
		expect(output[0].json).toMatchObject({ error: expect.stringContaining('Stripe has no customer cus_Gone999'), chatRef: CHAT_REF, messageId: MESSAGE_ID });
		expect(output[0].error).toBeInstanceOf(NodeApiError);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		const [portal] = portalSessions();
		expect(portalSessions()).toHaveLength(1);
		expect(output[1].json).toMatchObject({ customerId: fine, url: portal.url, portalSessionId: portal.id });
	});
});

describe('Create Customer Portal Session: the node', () => {
	it('is a resource of its own with one operation, and checkout sessions are still the default', () => {
		const properties = new CreateStripeCheckout().description.properties;
		const resource = properties.find((p) => p.name === 'resource');
		expect(resource?.default).toBe('checkoutSession');
		expect(resource?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['checkoutSession', 'customerPortalSession']);
		const customer = properties.find((p) => p.name === 'customerId');
		expect(customer).toMatchObject({ default: '={{ $json.customerId }}', required: true, displayOptions: { show: { resource: ['customerPortalSession'] } } });
	});
});
