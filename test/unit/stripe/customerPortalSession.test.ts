/**
 * Stripe Checkout → Create Customer Portal Session inside n8n-core's ExecuteContext, with the real Stripe SDK
 * talking to the loopback stand-in: the exact form-encoded request, the idempotency key's rules, the output,
 * and the errors an operator can act on (no portal saved in the Dashboard, an unknown customer).
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CreateStripeCheckout } from '../../../nodes/CreateStripeCheckout/CreateStripeCheckout.node';
import { PORTAL_KEY_WINDOW_MS } from '../../../nodes/shared/stripe/portal/portalSession';
import type { RecordedRequest, StripeReply } from './localStripe';
import { stripeErrorReply } from './localStripe';
import { useStripeCheckoutNode } from './stripeCheckoutNode';

const CHAT_REF = { channel: 'whatsapp', accountId: '100000000000001', userId: '4915112345678' };
const MESSAGE_ID = 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFDNBQ0E';
const RETURN_URL = 'https://shop.test/account';

const node = useStripeCheckoutNode({ resource: 'customerPortalSession', operation: 'create', returnUrl: RETURN_URL });

/** Stripe's answer to POST /v1/billing_portal/sessions, built from what was asked. */
function portalReply(request: RecordedRequest, extra: Record<string, unknown> = {}): StripeReply {
	return {
		body: {
			id: `bps_1Test${String(node.stripe.requests.length).padStart(4, '0')}`,
			object: 'billing_portal.session',
			configuration: request.form.get('configuration') ?? 'bpc_1Default',
			created: 1_800_000_000,
			customer: request.form.get('customer'),
			flow: null,
			livemode: false,
			locale: request.form.get('locale'),
			on_behalf_of: null,
			return_url: request.form.get('return_url'),
			url: `https://billing.stripe.com/p/session/test_${String(node.stripe.requests.length)}`,
			...extra,
		},
	};
}

function item(extra: IDataObject = {}): INodeExecutionData {
	return { json: { customerId: 'cus_Pro123', chatRef: { ...CHAT_REF }, messageId: MESSAGE_ID, ...extra } };
}

const posts = () => node.stripe.requests.filter((request) => request.method === 'POST' && request.path === '/v1/billing_portal/sessions');
const keys = () => posts().map((request) => String(request.headers['idempotency-key']));

async function failure(items: INodeExecutionData[], parameters: INodeParameters = {}) {
	return await node.failure(parameters, items);
}

describe('Create Customer Portal Session: the request and the output', () => {
	it('creates a session for the item\'s customer (the default {{ $json.customerId }}), with the return URL and an idempotency key', async () => {
		node.stripe.reply((request) => portalReply(request));

		const output = await node.run({}, [item()]);

		expect(posts()).toHaveLength(1);
		const [request] = posts();
		expect(Object.fromEntries(request.form)).toEqual({ customer: 'cus_Pro123', return_url: RETURN_URL });
		expect(request.headers.authorization).toBe(`Bearer ${node.secretKey}`);
		expect(keys()[0]).toMatch(/^cc1-portal-[0-9a-f]{64}$/);
		expect(output).toEqual([
			{
				json: {
					url: 'https://billing.stripe.com/p/session/test_1',
					portalSessionId: 'bps_1Test0001',
					customerId: 'cus_Pro123',
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

	it('sends a configuration and a locale when set, leaves "auto" and an empty return URL out, and reports Stripe\'s expiry', async () => {
		node.stripe.reply((request) => portalReply(request, { after_expiration: { type: 'customer_login', customer_login: { expires_at: 1_800_003_600 } } }));

		const [configured] = await node.run({ returnUrl: '', options: { configurationId: 'bpc_1Custom', locale: 'pt-BR' } }, [item()]);
		await node.run({ options: { locale: 'auto' } }, [item()]);

		expect(posts().map((request) => Object.fromEntries(request.form))).toEqual([
			{ customer: 'cus_Pro123', configuration: 'bpc_1Custom', locale: 'pt-BR' },
			{ customer: 'cus_Pro123', return_url: RETURN_URL },
		]);
		expect(configured.json.expiresAt).toBe(new Date(1_800_003_600 * 1000).toISOString());
	});

	it('one session per item, each paired with its own item and customer', async () => {
		node.stripe.reply((request) => portalReply(request));
		const output = await node.run({}, [item(), item({ customerId: 'cus_Other456', messageId: 'wamid.OTHER' })]);
		expect(output.map((o) => [o.json.customerId, o.pairedItem])).toEqual([
			['cus_Pro123', { item: 0 }],
			['cus_Other456', { item: 1 }],
		]);
		expect(new Set(keys()).size).toBe(2);
	});
});

describe('Create Customer Portal Session: idempotency', () => {
	it('a repeat of the same message within the 5-minute window is the same request; a later one makes a fresh link', async () => {
		const start = Math.floor(Date.now() / PORTAL_KEY_WINDOW_MS) * PORTAL_KEY_WINDOW_MS;
		const clock = jest.spyOn(Date, 'now');
		node.stripe.reply((request) => portalReply(request));

		clock.mockReturnValue(start + 1_000);
		await node.run({}, [item()]);
		clock.mockReturnValue(start + PORTAL_KEY_WINDOW_MS - 1_000);
		await node.run({}, [item()]);
		clock.mockReturnValue(start + PORTAL_KEY_WINDOW_MS + 1_000);
		await node.run({}, [item()]);

		const [first, repeat, later] = keys();
		expect(repeat).toBe(first);
		expect(later).not.toBe(first);
	});

	it('another customer, return URL or chat message is another key; without a message the run and the item make it', async () => {
		const clock = jest.spyOn(Date, 'now').mockReturnValue(Math.floor(Date.now() / PORTAL_KEY_WINDOW_MS) * PORTAL_KEY_WINDOW_MS + 1_000);
		node.stripe.reply((request) => portalReply(request));
		await node.run({}, [item()]);
		await node.run({}, [item({ customerId: 'cus_Other456' })]);
		await node.run({ returnUrl: 'https://shop.test/other' }, [item()]);
		await node.run({}, [item({ messageId: 'wamid.ANOTHER' })]);
		await node.run({}, [item({ messageId: undefined }), item({ messageId: undefined })]);
		await node.run({}, [item({ messageId: undefined })]);
		clock.mockRestore();

		const all = keys();
		expect(new Set(all.slice(0, 6)).size).toBe(6); // the two items of one run differ by index
		expect(all[6]).toBe(all[4]); // the same run and item (the harness keeps one execution id)
	});
});

describe('Create Customer Portal Session: errors an operator can act on', () => {
	it('no portal saved in the Dashboard: names Settings → Billing → Customer portal → Save, in the key\'s mode', async () => {
		node.stripe.reply(
			stripeErrorReply(
				400,
				{
					type: 'invalid_request_error',
					message:
						'No configuration provided and your test mode default configuration has not been created. Provide a configuration or create your default by saving your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.',
				},
				'req_NoPortal01',
			),
		);

		const error = await failure([item()]);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe("Stripe's Customer Portal is not set up in test mode yet (request req_NoPortal01)");
		expect(error.description).toContain('Stripe Dashboard → Settings → Billing → Customer portal in test mode and click Save');
		expect(error.description).toContain('Test mode and live mode are saved separately');
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(0);
	});

	it('an unknown customer: names the customer and where to look', async () => {
		node.stripe.reply(stripeErrorReply(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'customer', message: "No such customer: 'cus_Gone999'" }));
		const error = await failure([item({ customerId: 'cus_Gone999' })]);
		expect(error.message).toMatch(/^Stripe has no customer cus_Gone999 \(request req_test\d{6}\)$/);
		expect(error.description).toContain('Stripe Dashboard → Customers');
		expect(error.description).toContain('live mode are invisible to this test mode key');
	});

	it('an unknown configuration: names it and the way back to the default', async () => {
		node.stripe.reply(stripeErrorReply(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'configuration', message: "No such configuration: 'bpc_1Nope'" }));
		const error = await failure([item()], { options: { configurationId: 'bpc_1Nope' } });
		expect(error.message).toMatch(/^Stripe has no customer portal configuration bpc_1Nope \(request /);
		expect(error.description).toContain('Leave Options → Configuration ID empty');
	});

	it('other Stripe errors keep the general explanation (a restricted key names its missing permission)', async () => {
		node.stripe.reply(stripeErrorReply(403, { type: 'invalid_request_error', message: 'The provided key does not have the required permissions for this endpoint.' }));
		const error = await failure([item()]);
		expect(error.message).toContain('"Customer portal: Write"');
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(node.secretKey);
	});

	it('refuses a missing or malformed customer, configuration or return URL before calling Stripe, naming the field', async () => {
		node.stripe.reply((request) => portalReply(request));
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
		node.stripe.reply(
			stripeErrorReply(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'customer', message: "No such customer: 'cus_Gone999'" }),
			(request) => portalReply(request),
		);
		const output = await node.run({}, [item({ customerId: 'cus_Gone999' }), item({ customerId: 'cus_Fine777', messageId: 'wamid.FINE' })], true);
		expect(output).toHaveLength(2);
		expect(output[0].json).toMatchObject({ error: expect.stringContaining('Stripe has no customer cus_Gone999'), chatRef: CHAT_REF, messageId: MESSAGE_ID });
		expect(output[0].error).toBeInstanceOf(NodeApiError);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[1].json).toMatchObject({ customerId: 'cus_Fine777', url: expect.stringMatching(/^https:\/\/billing\.stripe\.com\//) });
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
