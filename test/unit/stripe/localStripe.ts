/**
 * A loopback stand-in for api.stripe.com: records every request the real Stripe SDK sends and answers with
 * Stripe-shaped JSON the test queues. Listens on 127.0.0.1, port 0; the test closes it.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	form: URLSearchParams;
}

export interface StripeReply {
	status?: number;
	body: unknown;
	headers?: Record<string, string>;
}

export type Responder = (request: RecordedRequest) => StripeReply;

export interface LocalStripe {
	baseUrl: string;
	requests: RecordedRequest[];
	/** Answers in order; the last one repeats. */
	reply(...replies: Array<StripeReply | Responder>): void;
	close(): Promise<void>;
}

let requestCounter = 0;

export async function startLocalStripe(): Promise<LocalStripe> {
	const requests: RecordedRequest[] = [];
	let replies: Array<StripeReply | Responder> = [{ status: 500, body: { error: { message: 'no reply queued' } } }];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const recorded: RecordedRequest = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				rawBody,
				form: new URLSearchParams(rawBody),
			};
			requests.push(recorded);
			const next = replies.length > 1 ? replies.shift()! : replies[0];
			const reply = typeof next === 'function' ? next(recorded) : next;
			requestCounter += 1;
			res.writeHead(reply.status ?? 200, {
				'content-type': 'application/json',
				'request-id': `req_test${String(requestCounter).padStart(6, '0')}`,
				...reply.headers,
			});
			res.end(JSON.stringify(reply.body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		reply(...next) {
			replies = next;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** Random, test-only secrets in Stripe's formats (never real ones). */
export function testSecretKey(): string {
	return `sk_test_${randomBytes(18).toString('hex')}`;
}

export function testSigningSecret(): string {
	return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** A Checkout Session as Stripe returns it for POST /v1/checkout/sessions with expand[]=line_items. */
export function checkoutSessionReply(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		id: 'cs_test_a1B2c3',
		object: 'checkout.session',
		amount_subtotal: 3998,
		amount_total: 3998,
		client_reference_id: null,
		currency: 'usd',
		customer: null,
		customer_details: null,
		customer_email: null,
		expires_at: 1_900_000_000,
		line_items: {
			object: 'list',
			data: [
				{
					id: 'li_1',
					object: 'item',
					amount_subtotal: 3998,
					amount_total: 3998,
					currency: 'usd',
					description: 'Large latte',
					quantity: 2,
					price: {
						id: 'price_1Latte',
						object: 'price',
						currency: 'usd',
						lookup_key: 'large_latte',
						unit_amount: 1999,
						type: 'one_time',
						recurring: null,
					},
				},
			],
			has_more: false,
			url: '/v1/checkout/sessions/cs_test_a1B2c3/line_items',
		},
		livemode: false,
		metadata: {},
		mode: 'payment',
		payment_intent: null,
		payment_status: 'unpaid',
		status: 'open',
		success_url: 'https://shop.test/thanks?session_id={CHECKOUT_SESSION_ID}',
		url: 'https://checkout.stripe.com/c/pay/cs_test_a1B2c3',
		...overrides,
	};
}

/** A Price as GET /v1/prices returns it with expand[]=data.product. */
export function priceReply(
	lookupKey: string,
	overrides: Record<string, unknown> = {},
	product: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		id: `price_${lookupKey.replace(/[^a-z0-9]/gi, '')}`,
		object: 'price',
		active: true,
		currency: 'usd',
		livemode: false,
		lookup_key: lookupKey,
		product: { id: `prod_${lookupKey.replace(/[^a-z0-9]/gi, '')}`, object: 'product', active: true, name: 'Large latte', ...product },
		recurring: null,
		type: 'one_time',
		unit_amount: 1999,
		unit_amount_decimal: '1999',
		...overrides,
	};
}

export function listReply(data: unknown[], url = '/v1/prices'): Record<string, unknown> {
	return { object: 'list', data, has_more: false, url };
}

export function stripeErrorReply(
	status: number,
	error: { type: string; message: string; code?: string; param?: string },
	requestId?: string,
): StripeReply {
	return {
		status,
		body: { error: { ...error, ...(error.code && { doc_url: `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, '-')}` }) } },
		...(requestId && { headers: { 'request-id': requestId } }),
	};
}

/**
 * Checkout Sessions that keep their state between requests, answering as Stripe does: POST …/expire expires
 * an open session and refuses any other with Stripe's 400; GET retrieves; an unknown ID is resource_missing.
 * A POST repeating an Idempotency-Key gets the first answer again, marked `Idempotent-Replayed: true`.
 */
export function checkoutSessionsResponder(initial: Array<Record<string, unknown>>): Responder {
	const sessions = new Map(initial.map((session) => [String(session.id), { ...session }]));
	const firstAnswers = new Map<string, StripeReply>();

	function answer(request: RecordedRequest): StripeReply {
		const match = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(request.path);
		if (!match) {
			return stripeErrorReply(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${request.path}).` });
		}
		const id = decodeURIComponent(match[1]);
		const session = sessions.get(id);
		if (!session) {
			return stripeErrorReply(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'session', message: `No such checkout.session: '${id}'` });
		}
		if (match[2] !== undefined && request.method === 'POST') {
			if (session.status !== 'open') {
				return stripeErrorReply(400, {
					type: 'invalid_request_error',
					message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".`,
				});
			}
			Object.assign(session, { status: 'expired', url: null });
		}
		return { body: { ...session } };
	}

	return (request) => {
		const key = request.headers['idempotency-key'];
		if (request.method !== 'POST' || typeof key !== 'string') return answer(request);
		const first = firstAnswers.get(key);
		if (first) return { ...first, headers: { ...first.headers, 'idempotent-replayed': 'true' } };
		const reply = answer(request);
		firstAnswers.set(key, reply);
		return reply;
	};
}
