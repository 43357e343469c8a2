import { messagesPath, sentMessageId } from '../../../nodes/shared/graph/endpoints';
import { classifyGraphError, parseGraphError } from '../../../nodes/shared/graph/errors';
import { describeFailure } from '../../../nodes/shared/graph/explainFailure';
import type { FailureContext, SendFailure } from '../../../nodes/shared/graph/errors';
import { metaErrorBody } from '../../../tools/sandbox/graph';

const WA_CTX: FailureContext = {
	channel: 'whatsapp',
	credentialType: 'chatCheckoutWhatsAppApi',
	credentialName: 'WhatsApp Cloud API',
	senderAccountId: '1111',
	credentialAccountId: '1111',
	maxDelayMs: 30_000,
};
const IG_CTX: FailureContext = {
	channel: 'instagram',
	credentialType: 'chatCheckoutInstagramApi',
	credentialName: 'Instagram Messaging API',
	senderAccountId: '1784',
	credentialAccountId: '1784',
};

function graphFailure(status: number, body: unknown, attempts = 1): SendFailure {
	const info = parseGraphError(status, body);
	return { type: 'graph', errorClass: classifyGraphError(info), info, attempts };
}

describe('parseGraphError', () => {
	test('reads code, subcode, details and fbtrace_id (object or JSON text)', () => {
		const body = metaErrorBody({
			code: 131047,
			message: '(#131047) Re-engagement message',
			details: 'Message failed to send because more than 24 hours have passed',
			fbtraceId: 'TRACE1',
		});
		const expected = {
			httpStatus: 400,
			code: 131047,
			subcode: undefined,
			type: 'OAuthException',
			message: '(#131047) Re-engagement message',
			details: 'Message failed to send because more than 24 hours have passed',
			fbtraceId: 'TRACE1',
			isTransient: undefined,
		};
		expect(parseGraphError(400, body)).toEqual(expected);
		expect(parseGraphError(400, JSON.stringify(body))).toEqual(expected);
	});

	test('non-JSON bodies keep their text; empty bodies give just the status', () => {
		expect(parseGraphError(502, '<html>Bad Gateway</html>')).toEqual({ httpStatus: 502, message: '<html>Bad Gateway</html>' });
		expect(parseGraphError(503, '')).toEqual({ httpStatus: 503, message: undefined });
		expect(parseGraphError(429, undefined)).toEqual({ httpStatus: 429 });
	});
});

describe('classifyGraphError', () => {
	const cases: Array<[string, number, unknown, string]> = [
		['WhatsApp throughput 130429', 400, metaErrorBody({ code: 130429, message: 'Rate limit hit' }), 'throttled'],
		['WhatsApp pair rate 131056', 400, metaErrorBody({ code: 131056, message: 'Pair rate limit hit' }), 'throttled'],
		['Graph 4', 403, metaErrorBody({ code: 4, message: 'Application request limit reached' }), 'throttled'],
		['Graph 17', 403, metaErrorBody({ code: 17, message: 'User request limit reached' }), 'throttled'],
		['Graph 32', 403, metaErrorBody({ code: 32, message: 'Page request limit reached' }), 'throttled'],
		['Graph 613', 400, metaErrorBody({ code: 613, message: 'Calls to this api have exceeded the rate limit' }), 'throttled'],
		['HTTP 429 without a body', 429, '', 'throttled'],
		['Messenger marketing frequency (4/2018354) is not a throttle', 400, metaErrorBody({ code: 4, message: 'x', subcode: 2018354 }), 'other'],
		['WhatsApp 24 h 131047', 400, metaErrorBody({ code: 131047, message: 'Re-engagement message' }), 'windowClosed'],
		['Instagram window 10/2534022', 403, metaErrorBody({ code: 10, message: 'This message is sent outside of allowed window.', subcode: 2534022, type: 'IGApiException' }), 'windowClosed'],
		['Messenger-style window 10/2018278', 400, metaErrorBody({ code: 10, message: 'outside of allowed window', subcode: 2018278 }), 'windowClosed'],
		['token 190', 401, metaErrorBody({ code: 190, message: 'Error validating access token', subcode: 463 }), 'authExpired'],
		['HTTP 401 with no code', 401, '', 'authExpired'],
		['permission 10', 403, metaErrorBody({ code: 10, message: 'Application does not have permission' }), 'permission'],
		['permission 200', 403, metaErrorBody({ code: 200, message: 'Requires permission' }), 'permission'],
		['HTTP 500', 500, metaErrorBody({ code: 1, message: 'An unknown error occurred' }), 'transient'],
		['HTTP 503', 503, '', 'transient'],
		['is_transient on a 400', 400, { error: { code: 2, message: 'temporary', is_transient: true } }, 'transient'],
		['HTTP 504 is ambiguous', 504, '', 'ambiguous'],
		['invalid parameter', 400, metaErrorBody({ code: 100, message: 'Invalid parameter' }), 'other'],
	];
	test.each(cases)('%s', (_name, status, body, expected) => {
		expect(classifyGraphError(parseGraphError(status, body))).toBe(expected);
	});
});

describe('describeFailure', () => {
	test('WhatsApp 24 h: plain words, what to do, Meta text and fbtrace_id', () => {
		const failure = graphFailure(400, metaErrorBody({ code: 131047, message: '(#131047) Re-engagement message', fbtraceId: 'TRACE47' }));
		const { message, description, httpCode } = describeFailure(failure, WA_CTX);
		expect(message).toBe('Not sent: the customer last wrote more than 24 h ago: send an approved template');
		expect(description).toContain('Send Template When 24-Hour Window Is Closed');
		expect(description).toContain('code 131047');
		expect(description).toContain('fbtrace_id: TRACE47');
		expect(httpCode).toBe('400');
	});

	test('Instagram 24 h names Instagram and does not suggest templates it does not have', () => {
		const failure = graphFailure(403, metaErrorBody({ code: 10, message: 'outside of allowed window', subcode: 2534022 }));
		const { message, description } = describeFailure(failure, IG_CTX);
		expect(message).toContain('more than 24 h ago');
		expect(message).toContain('Instagram');
		expect(description).toContain('no message templates');
	});

	test('expired token names the credential type and where to renew it', () => {
		const wa = describeFailure(graphFailure(401, metaErrorBody({ code: 190, message: 'Session has expired', subcode: 463 })), WA_CTX);
		expect(wa.message).toContain('WhatsApp Cloud API credential (chatCheckoutWhatsAppApi)');
		expect(wa.description).toContain('Meta Business Settings → Users → System users');
		const ig = describeFailure(graphFailure(401, metaErrorBody({ code: 190, message: 'Invalid OAuth access token' })), IG_CTX);
		expect(ig.message).toContain('Instagram Messaging API credential (chatCheckoutInstagramApi)');
		expect(ig.description).toContain('App Dashboard → Instagram');
	});

	test('throttled: attempts counted, or the requested wait when it was too long', () => {
		const exhausted = describeFailure(graphFailure(400, metaErrorBody({ code: 130429, message: 'Rate limit hit' }), 4), WA_CTX);
		expect(exhausted.message).toBe('Meta is throttling this number: Still rate-limited after 4 attempts.');
		const failure = graphFailure(429, '');
		if (failure.type === 'graph') failure.requestedWaitMs = 120_000;
		expect(describeFailure(failure, WA_CTX).message).toContain('Meta asked to wait 120 s, longer than "Retry › Max Wait" (30 s)');
	});

	test('permission errors mention a chat that came in on another account than the credential\'s', () => {
		const { description } = describeFailure(graphFailure(403, metaErrorBody({ code: 200, message: 'Permission denied' })), {
			...WA_CTX,
			senderAccountId: '2222',
			credentialAccountId: '1111',
		});
		expect(description).toContain('the chat came in on phone number ID 2222');
		expect(description).toContain('set up for 1111');
	});

	test('known codes get their own sentence; unknown ones quote Meta', () => {
		expect(describeFailure(graphFailure(400, metaErrorBody({ code: 131030, message: 'Recipient not in allowed list' })), WA_CTX).message).toContain(
			'App Dashboard → WhatsApp → API Setup',
		);
		expect(describeFailure(graphFailure(400, metaErrorBody({ code: 999999, message: 'Something new' })), WA_CTX).message).toBe(
			'WhatsApp rejected the message: Something new',
		);
	});

	test('network failures: not sent vs. maybe sent; fallback failures say so', () => {
		const notSent = describeFailure(
			{ type: 'network', disposition: 'notSent', code: 'ECONNREFUSED', detail: 'connect refused', attempts: 4 },
			WA_CTX,
		);
		expect(notSent.message).toBe('Could not reach the Graph API; nothing was sent');
		expect(notSent.description).toContain('after 4 attempts');
		const maybe = describeFailure(
			{ type: 'network', disposition: 'ambiguous', code: 'ECONNRESET', detail: 'socket hang up', attempts: 1 },
			{ ...WA_CTX, duringFallback: true },
		);
		expect(maybe.message).toMatch(/^The 24-hour window was closed and the fallback template failed too: Could not confirm/);
		expect(maybe.description).toContain('not retried');
	});
});

describe('endpoints', () => {
	test('WhatsApp sends from the phone number id', () => {
		expect(messagesPath('whatsapp', '1111')).toBe('/1111/messages');
	});

	test('Instagram: /me/messages on graph.facebook.com (Page token), the account id elsewhere, or as configured', () => {
		expect(messagesPath('instagram', '1784', { baseUrl: 'https://graph.facebook.com' })).toBe('/me/messages');
		expect(messagesPath('instagram', '1784', { baseUrl: 'https://graph.instagram.com/' })).toBe('/1784/messages');
		expect(messagesPath('instagram', '1784', { baseUrl: 'http://127.0.0.1:8080' })).toBe('/1784/messages');
		expect(messagesPath('instagram', '1784', { baseUrl: 'http://127.0.0.1:8080', instagramSendPath: 'me' })).toBe('/me/messages');
		expect(
			messagesPath('instagram', '1784', { baseUrl: 'https://graph.facebook.com', instagramSendPath: 'accountId' }),
		).toBe('/1784/messages');
	});

	test('account ids are path-encoded', () => {
		expect(messagesPath('whatsapp', '../x')).toBe('/..%2Fx/messages');
	});

	test('message ids: wamid from messages[0].id, mid from message_id, null otherwise', () => {
		expect(sentMessageId('whatsapp', { messages: [{ id: 'wamid.A' }] })).toBe('wamid.A');
		expect(sentMessageId('instagram', '{"recipient_id":"1","message_id":"mid.B"}')).toBe('mid.B');
		expect(sentMessageId('whatsapp', {})).toBeNull();
		expect(sentMessageId('instagram', 'not json')).toBeNull();
	});
});
