/**
 * One HTTP request to the simulator: the hosted pages by path, else the API as Stripe answers it — recorded,
 * authenticated (Bearer or Basic key), answered by a queued failure if one matches, replayed for a known
 * Idempotency-Key, else routed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { plainHeaders, randomId, readBody, sendJson } from '../http';
import { route } from './apiRoutes';
import { handleCheckoutPage } from './checkoutPage';
import type { SimContext } from './context';
import { defaultErrorFor, StripeApiError, unrecognizedUrl, withDocUrl } from './errors';
import { STRIPE_API_VERSION } from './events';
import { parseStripeForm } from './formParsing';
import { canonical, checkIdempotency, rememberAnswer } from './idempotency';
import { handlePortalPage } from './portalPage';
import { sitePage } from './sitePages';
import type { RequestRecord, StripeFailSpec } from './types';

const NO_KEY =
	"You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/** The key as Stripe's error shows it: `sk_test_****…1234`. */
function maskKey(key: string): string {
	const m = /^([a-z]{2,3}_(?:test|live)_)/.exec(key);
	const prefix = m ? m[1] : key.slice(0, Math.min(3, key.length));
	const rest = key.slice(prefix.length);
	if (rest.length <= 4) return prefix + '*'.repeat(rest.length);
	return prefix + '*'.repeat(rest.length - 4) + rest.slice(-4);
}

/** The API key of a Bearer header, or of a Basic one (as its user name). */
function keyOf(authorization: string): string {
	const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim());
	if (bearer) return bearer[1].trim();
	const basic = /^Basic\s+(.+)$/i.exec(authorization.trim());
	if (basic) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
	return '';
}

function failMatches(spec: StripeFailSpec, method: string, path: string): boolean {
	if (spec.method && spec.method.toUpperCase() !== method) return false;
	if (spec.path instanceof RegExp) return spec.path.test(path);
	if (typeof spec.path === 'string') return spec.path.endsWith('/') ? path.startsWith(spec.path) : path === spec.path;
	return true;
}

export async function handleRequest(ctx: SimContext, secretKeys: Set<string>, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const u = new URL(req.url ?? '/', 'http://127.0.0.1');
	const segs = u.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
	const method = (req.method ?? 'GET').toUpperCase();
	if (segs[0] === 'pay') return handleCheckoutPage(ctx, req, res, segs.slice(1));
	if (segs[0] === 'portal') return handlePortalPage(ctx, req, res, segs.slice(1));
	if (method === 'GET' && (segs.length === 0 || (segs.length === 1 && ['thanks', 'cancelled'].includes(segs[0])))) {
		return sitePage(ctx, res, segs[0] ?? '', u.searchParams.get('session_id'));
	}

	const raw = await readBody(req);
	const headers = plainHeaders(req.headers);
	const query = u.search.replace(/^\?/, '');
	const params = { ...parseStripeForm(query), ...(method === 'GET' ? {} : parseStripeForm(raw)) };
	const requestId = randomId('req_', 14);
	const idempotencyKey = headers['idempotency-key'] ?? null;
	const record: RequestRecord = {
		at: new Date().toISOString(),
		method,
		path: u.pathname,
		query,
		form: method === 'GET' ? query : raw,
		params,
		idempotencyKey,
		headers,
		requestId,
		status: 0,
		replayed: false,
		injected: false,
	};
	ctx.requests.push(record);
	const baseHeaders: Record<string, string> = { 'Request-Id': requestId, 'Stripe-Version': headers['stripe-version'] ?? STRIPE_API_VERSION };
	if (idempotencyKey && method !== 'GET') baseHeaders['Idempotency-Key'] = idempotencyKey;
	const reply = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
		record.status = status;
		if (typeof body === 'string') {
			res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...baseHeaders, ...extra });
			res.end(body);
			return;
		}
		sendJson(res, status, body, { ...baseHeaders, ...extra });
	};

	if (segs[0] !== 'v1') return reply(404, { error: withDocUrl({ type: 'invalid_request_error', message: unrecognizedUrl(method, u.pathname) }) });

	const key = keyOf(headers.authorization ?? '');
	const unauthorized = { 'WWW-Authenticate': 'Basic realm="Stripe"' };
	if (!key) return reply(401, { error: { message: NO_KEY, type: 'invalid_request_error' } }, unauthorized);
	if (!secretKeys.has(key)) return reply(401, { error: { message: `Invalid API Key provided: ${maskKey(key)}`, type: 'invalid_request_error' } }, unauthorized);

	const fi = ctx.failures.findIndex((f) => failMatches(f, method, u.pathname));
	if (fi !== -1) {
		const [spec] = ctx.failures.splice(fi, 1);
		record.injected = true;
		if (spec.delayMs) await new Promise((resolve) => setTimeout(resolve, spec.delayMs));
		const body = spec.body !== undefined ? spec.body : { error: withDocUrl(spec.error ?? defaultErrorFor(spec.status)) };
		return reply(spec.status, body, spec.headers ?? {});
	}

	const keyed = idempotencyKey && method === 'POST' ? { method, path: u.pathname, params: canonical(parseStripeForm(raw)), key: idempotencyKey } : null;
	if (keyed) {
		const verdict = checkIdempotency(ctx, keyed);
		if (verdict) {
			record.replayed = verdict.replayed;
			return reply(verdict.status, verdict.body, verdict.headers);
		}
	}

	try {
		const result = await route(ctx, method, segs.slice(1), params, { baseUrl: ctx.baseUrl, requestId, idempotencyKey });
		if (keyed) rememberAnswer(ctx, keyed, { status: result.status, body: result.body, requestId });
		return reply(result.status, result.body);
	} catch (err) {
		if (err instanceof StripeApiError) return reply(err.status, { error: withDocUrl(err.error) });
		throw err;
	}
}
