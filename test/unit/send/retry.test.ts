import { NodeApiError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import {
	backoffDelayMs,
	parseBusinessUseCaseWait,
	parseRetryAfter,
	retryPolicyFrom,
	serverRequestedWaitMs,
} from '../../../nodes/shared/graph/retry';
import { classifyNetworkError, deliverMessage, sendWithRetry } from '../../../nodes/shared/graph/send';
import type { GraphHttpResponse, SendDeps } from '../../../nodes/shared/graph/send';
import { metaErrorBody } from '../../../tools/sandbox/graph';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const OK: GraphHttpResponse = { statusCode: 200, body: { messages: [{ id: 'wamid.OK' }] } };
const THROTTLED: GraphHttpResponse = { statusCode: 400, body: metaErrorBody({ code: 130429, message: '(#130429) Rate limit hit' }) };

/** A request callback answering from a list (the last answer repeats) and counting calls. */
function scripted(...answers: Array<GraphHttpResponse | Error>) {
	const calls = { count: 0 };
	const request = async () => {
		const answer = answers[Math.min(calls.count, answers.length - 1)];
		calls.count++;
		if (answer instanceof Error) throw answer;
		return answer;
	};
	return { request, calls };
}

function recordingDeps(random = 0.5): SendDeps & { waits: number[] } {
	const waits: number[] = [];
	return { waits, sleep: async (ms) => void waits.push(ms), random: () => random, now: () => NOW };
}

function systemError(code: string, message = `connect ${code}`): Error {
	return Object.assign(new Error(message), { code });
}

describe('Retry-After and usage headers', () => {
	test('delta-seconds, HTTP date, past date, garbage', () => {
		expect(parseRetryAfter('0', NOW)).toBe(0);
		expect(parseRetryAfter('1', NOW)).toBe(1000);
		expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
		expect(parseRetryAfter(new Date(NOW + 5000).toUTCString(), NOW)).toBe(5000);
		expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', NOW)).toBe(0);
		expect(parseRetryAfter('soon', NOW)).toBeUndefined();
		expect(parseRetryAfter('-3', NOW)).toBeUndefined();
		expect(parseRetryAfter('1.5', NOW)).toBeUndefined();
		expect(parseRetryAfter('', NOW)).toBeUndefined();
		expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
	});

	test('X-Business-Use-Case-Usage: the longest estimated_time_to_regain_access, in minutes', () => {
		const header = JSON.stringify({
			'123': [
				{ type: 'whatsapp_business_messaging', estimated_time_to_regain_access: 0 },
				{ type: 'messenger', estimated_time_to_regain_access: 3 },
			],
		});
		expect(parseBusinessUseCaseWait(header)).toBe(180_000);
		expect(parseBusinessUseCaseWait('{"1":[{"estimated_time_to_regain_access":0}]}')).toBeUndefined();
		expect(parseBusinessUseCaseWait('not json')).toBeUndefined();
		expect(serverRequestedWaitMs({ 'Retry-After': '2', 'x-business-use-case-usage': header }, NOW)).toBe(2000);
		expect(serverRequestedWaitMs({ 'x-business-use-case-usage': header }, NOW)).toBe(180_000);
		expect(serverRequestedWaitMs({ 'retry-after': ['7'] }, NOW)).toBe(7000);
	});
});

describe('backoff', () => {
	test('full jitter: uniform in [0, min(max, base·2^n)]', () => {
		const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
		expect(backoffDelayMs(0, policy, () => 0)).toBe(0);
		expect(backoffDelayMs(0, policy, () => 0.999)).toBe(99);
		expect(backoffDelayMs(2, policy, () => 0.5)).toBe(200);
		expect(backoffDelayMs(10, policy, () => 0.999)).toBe(999);
	});

	test('policy input is clamped and defaulted', () => {
		expect(retryPolicyFrom({})).toEqual({ maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 });
		expect(retryPolicyFrom({ maxRetries: 99, baseDelayMs: -5, maxDelayMs: Number.NaN })).toEqual({
			maxRetries: 10,
			baseDelayMs: 0,
			maxDelayMs: 30_000,
		});
	});
});

describe('sendWithRetry', () => {
	const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

	test('throttled then accepted: stops at the first 2xx, waits with jitter in between', async () => {
		const { request, calls } = scripted(THROTTLED, THROTTLED, OK, OK);
		const deps = recordingDeps(0.5);
		const result = await sendWithRetry(request, policy, deps);
		expect(result).toEqual({ ok: true, statusCode: 200, body: OK.body, attempts: 3 });
		expect(calls.count).toBe(3);
		expect(deps.waits).toEqual([50, 100]);
	});

	test('Retry-After is honoured instead of the backoff (seconds and HTTP date)', async () => {
		const deps = recordingDeps();
		const seconds = scripted({ statusCode: 429, headers: { 'retry-after': '1' }, body: '' }, OK);
		const zero = scripted({ statusCode: 429, headers: { 'retry-after': '0' }, body: '' }, OK);
		expect((await sendWithRetry(zero.request, policy, deps)).ok).toBe(true);
		expect((await sendWithRetry(seconds.request, policy, deps)).ok).toBe(true);
		const date = scripted({ statusCode: 429, headers: { 'Retry-After': new Date(NOW + 1000).toUTCString() }, body: '' }, OK);
		expect((await sendWithRetry(date.request, policy, deps)).ok).toBe(true);
		expect(deps.waits).toEqual([0, 1000, 1000]);
	});

	test('a Retry-After longer than Max Wait ends the retries at once', async () => {
		const { request, calls } = scripted({ statusCode: 429, headers: { 'retry-after': '120' }, body: '' }, OK);
		const deps = recordingDeps();
		const result = await sendWithRetry(request, policy, deps);
		expect(calls.count).toBe(1);
		expect(deps.waits).toEqual([]);
		expect(result).toMatchObject({ ok: false, failure: { type: 'graph', errorClass: 'throttled', requestedWaitMs: 120_000 } });
	});

	test('throttled forever: maxRetries + 1 attempts, exponential ceilings', async () => {
		const { request, calls } = scripted(THROTTLED);
		const deps = recordingDeps(0.999);
		const result = await sendWithRetry(request, policy, deps);
		expect(calls.count).toBe(4);
		expect(deps.waits).toEqual([99, 199, 399]);
		expect(result).toMatchObject({ ok: false, failure: { type: 'graph', errorClass: 'throttled', attempts: 4 } });
	});

	test('maxRetries 0 means one attempt', async () => {
		const { request, calls } = scripted(THROTTLED);
		await sendWithRetry(request, { ...policy, maxRetries: 0 }, recordingDeps());
		expect(calls.count).toBe(1);
	});

	test('HTTP 500/502/503 are retried, 504 and 4xx are not', async () => {
		const five = scripted({ statusCode: 503, body: '' }, { statusCode: 502, body: '<html>' }, { statusCode: 500, body: metaErrorBody({ code: 1, message: 'x' }) }, OK);
		expect(await sendWithRetry(five.request, policy, recordingDeps())).toMatchObject({ ok: true, attempts: 4 });
		const gateway = scripted({ statusCode: 504, body: '' }, OK);
		expect(await sendWithRetry(gateway.request, policy, recordingDeps())).toMatchObject({
			ok: false,
			failure: { errorClass: 'ambiguous', attempts: 1 },
		});
		const invalid = scripted({ statusCode: 400, body: metaErrorBody({ code: 100, message: 'Invalid parameter' }) }, OK);
		expect(await sendWithRetry(invalid.request, policy, recordingDeps())).toMatchObject({ ok: false, failure: { attempts: 1 } });
		expect(gateway.calls.count + invalid.calls.count).toBe(2);
	});

	test('connection refused is retried (nothing left); a reset after sending is not (Meta may have it)', async () => {
		const refused = scripted(systemError('ECONNREFUSED'), OK);
		expect(await sendWithRetry(refused.request, policy, recordingDeps())).toMatchObject({ ok: true, attempts: 2 });
		const reset = scripted(systemError('ECONNRESET', 'socket hang up'), OK);
		expect(await sendWithRetry(reset.request, policy, recordingDeps())).toEqual({
			ok: false,
			failure: { type: 'network', disposition: 'ambiguous', code: 'ECONNRESET', detail: 'socket hang up', attempts: 1 },
		});
		expect(reset.calls.count).toBe(1);
	});

	test('refused forever gives up as "not sent" after maxRetries + 1 attempts', async () => {
		const { request, calls } = scripted(systemError('ECONNREFUSED'));
		expect(await sendWithRetry(request, policy, recordingDeps())).toMatchObject({
			ok: false,
			failure: { type: 'network', disposition: 'notSent', code: 'ECONNREFUSED', attempts: 4 },
		});
		expect(calls.count).toBe(4);
	});

	test('a cancelled wait stops the loop', async () => {
		const { request, calls } = scripted(THROTTLED, OK);
		const result = await sendWithRetry(request, policy, {
			sleep: async () => {
				throw new Error('aborted');
			},
		});
		expect(result).toEqual({ ok: false, failure: { type: 'cancelled', attempts: 1 } });
		expect(calls.count).toBe(1);
	});
});

describe('classifyNetworkError', () => {
	const node = { name: 'Send Chat Message', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;

	test('reads the code through n8n\'s NodeApiError → AxiosError wrapping', () => {
		const axiosLike = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', name: 'AxiosError' });
		const wrapped = new NodeApiError(node, axiosLike as never);
		expect(classifyNetworkError(wrapped)).toMatchObject({ disposition: 'retry', code: 'ECONNREFUSED' });
	});

	test('AggregateError of a dual-stack connect, timeouts, cancellations, unknowns', () => {
		const aggregate = Object.assign(new Error('connect failed'), { errors: [systemError('ECONNREFUSED')] });
		expect(classifyNetworkError(aggregate).disposition).toBe('retry');
		expect(classifyNetworkError(systemError('ECONNABORTED', 'timeout of 60000ms exceeded')).disposition).toBe('ambiguous');
		expect(classifyNetworkError(systemError('ETIMEDOUT')).disposition).toBe('ambiguous');
		expect(classifyNetworkError(systemError('ENOTFOUND')).disposition).toBe('notSent');
		expect(classifyNetworkError(systemError('ERR_CANCELED', 'canceled')).disposition).toBe('cancelled');
		expect(classifyNetworkError(new Error('something odd')).disposition).toBe('ambiguous');
	});
});

describe('deliverMessage', () => {
	const policy = { maxRetries: 2, baseDelayMs: 0, maxDelayMs: 0 };
	const message = { kind: 'text' as const, body: { type: 'text' } };
	const fallback = { kind: 'template' as const, body: { type: 'template' } };
	const windowClosed: GraphHttpResponse = { statusCode: 400, body: metaErrorBody({ code: 131047, message: '(#131047) Re-engagement message' }) };

	/** A WhatsApp delivery with the fallback on; `answers` are Graph's answers in order (the last repeats). */
	async function deliverWithFallback(...answers: GraphHttpResponse[]) {
		const bodies: unknown[] = [];
		const result = await deliverMessage({
			channel: 'whatsapp',
			message,
			windowClosedFallback: fallback,
			send: async (body) => {
				bodies.push(body);
				return answers[Math.min(bodies.length, answers.length) - 1];
			},
			policy,
			deps: recordingDeps(),
		});
		return { bodies, result };
	}

	test('131047 with a fallback: sends the template once and reports it', async () => {
		const { bodies, result } = await deliverWithFallback(windowClosed, { statusCode: 200, body: { messages: [{ id: 'wamid.TPL' }] } });
		expect(bodies).toEqual([{ type: 'text' }, { type: 'template' }]);
		expect(result).toEqual({ ok: true, messageId: 'wamid.TPL', kind: 'template', fallbackUsed: true, attempts: 2 });
	});

	test('other errors never trigger the fallback', async () => {
		const { bodies, result } = await deliverWithFallback({ statusCode: 400, body: metaErrorBody({ code: 131026, message: 'Message undeliverable' }) });
		expect(bodies).toHaveLength(1);
		expect(result).toMatchObject({ ok: false, duringFallback: false });
	});

	test('Instagram message ids come from message_id', async () => {
		const result = await deliverMessage({
			channel: 'instagram',
			message,
			send: async () => ({ statusCode: 200, body: { recipient_id: '1', message_id: 'mid.X' } }),
			policy,
			deps: recordingDeps(),
		});
		expect(result).toMatchObject({ ok: true, messageId: 'mid.X', fallbackUsed: false });
	});
});
