import { describeStripeError, redactStripeKeys } from '../../../nodes/shared/stripe/apiErrors';
import {
	StripeConfigurationError,
	createStripeClient,
	keyModeOf,
	parseStripeBaseUrl,
} from '../../../nodes/shared/stripe/client';
import { useUnitStripe } from '../../support/unitStripe';

describe('Stripe client', () => {
	const stripe = useUnitStripe();

	it('talks to the base URL with our app info, few retries and no telemetry', async () => {
		const client = createStripeClient({ secretKey: stripe.secretKey, baseUrl: stripe.baseUrl });
		expect(client.getMaxNetworkRetries()).toBe(2);
		expect(client.getTelemetryEnabled()).toBe(false);
		await client.prices.list({ limit: 1 });
		await client.prices.list({ limit: 1 }); // with telemetry on, this one would report the first one's latency

		expect(stripe.requests.map((request) => [request.path, request.status])).toEqual([
			['/v1/prices', 200],
			['/v1/prices', 200],
		]);
		expect(String(stripe.requests[0].headers['user-agent'])).toContain('n8n-nodes-chat-checkout');
		expect(stripe.requests[1].headers['x-stripe-client-telemetry']).toBeUndefined();
	});

	it('maps an SDK error to plain words with the parameter, request id and Dashboard place', async () => {
		const client = createStripeClient({ secretKey: stripe.secretKey, baseUrl: stripe.baseUrl });
		const error = await client.checkout.sessions
			.create({
				mode: 'payment',
				line_items: [{ price_data: { currency: 'usd', unit_amount: 450, product_data: { name: 'Croissant' } }, quantity: 1 }],
				success_url: 'shop.test/thanks',
			})
			.catch((caught: unknown) => caught);
		const [request] = stripe.requests;
		expect(request.status).toBe(400);
		const described = describeStripeError(error, { operation: 'createCheckoutSession', keyMode: 'test' });
		expect(described.message).toBe(`Stripe rejected the request: Not a valid URL (parameter success_url, request ${request.requestId})`);
		expect(described.description).toContain('absolute https:// URLs');
		expect(described.description).toContain('Developers → Logs');
		expect(described.httpCode).toBe('400');
		expect(described.facts).toMatchObject({ type: 'invalid_request_error', code: 'url_invalid', param: 'success_url', requestId: request.requestId, statusCode: 400 });
	});
});

describe('credential checks', () => {
	it('splits the base URL into what the SDK takes', () => {
		expect(parseStripeBaseUrl(undefined)).toEqual({ protocol: 'https', host: 'api.stripe.com', port: 443 });
		expect(parseStripeBaseUrl('http://127.0.0.1:12111/')).toEqual({ protocol: 'http', host: '127.0.0.1', port: 12111 });
		expect(parseStripeBaseUrl('http://[::1]:8080')).toEqual({ protocol: 'http', host: '::1', port: 8080 });
		expect(() => parseStripeBaseUrl('https://api.stripe.com/v1')).toThrow(/bare origin/);
		expect(() => parseStripeBaseUrl('ftp://api.stripe.com')).toThrow(StripeConfigurationError);
		expect(() => parseStripeBaseUrl('api.stripe.com')).toThrow(/not a URL/);
	});

	it('refuses publishable, empty and foreign keys with the Dashboard place to get the right one', () => {
		expect(() => createStripeClient({ secretKey: 'pk_test_abc' })).toThrow(/publishable key/);
		expect(() => createStripeClient({ secretKey: ' ' })).toThrow(/no secret key/);
		expect(() => createStripeClient({ secretKey: 'Bearer abc' })).toThrow(/does not look like a Stripe key/);
	});

	it('reads the mode from the key prefix', () => {
		expect(keyModeOf('sk_test_x')).toBe('test');
		expect(keyModeOf('rk_live_x')).toBe('live');
		expect(keyModeOf('whatever')).toBe('unknown');
	});

	it('redacts even masked keys and signing secrets from messages', () => {
		expect(redactStripeKeys('Invalid API Key provided: sk_test_****1234')).toBe('Invalid API Key provided: sk_test_…');
		expect(redactStripeKeys('secret whsec_abcDEF123 leaked')).toBe('secret whsec_… leaked');
		expect(redactStripeKeys('No such price: price_123')).toBe('No such price: price_123');
	});
});
