import { createHmac } from 'node:crypto';

import { answerVerificationRequest, secretEquals, verifyMetaSignature } from '../../../nodes/shared/meta/signature';
import { APP_SECRET, metaSignature } from '../../../tools/sandbox/metaWebhooks';

const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

describe('verifyMetaSignature', () => {
	it('accepts the HMAC-SHA256 of the exact raw bytes, in either hex case', () => {
		expect(verifyMetaSignature(body, metaSignature(body), APP_SECRET)).toEqual({ valid: true });
		expect(verifyMetaSignature(body, metaSignature(body).toUpperCase().replace('SHA256=', 'sha256='), APP_SECRET)).toEqual({ valid: true });
	});

	it('rejects a body that differs by one byte, even if it parses to the same JSON', () => {
		const respaced = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
		expect(verifyMetaSignature(respaced, metaSignature(body), APP_SECRET)).toEqual({ valid: false, reason: 'bad-signature' });
	});

	it('rejects a signature made with another secret', () => {
		expect(verifyMetaSignature(body, metaSignature(body, 'other-secret'), APP_SECRET)).toEqual({ valid: false, reason: 'bad-signature' });
	});

	it('rejects a missing header, the legacy sha1 form and truncated hex', () => {
		expect(verifyMetaSignature(body, undefined, APP_SECRET)).toEqual({ valid: false, reason: 'missing-signature' });
		const sha1 = `sha1=${createHmac('sha1', APP_SECRET).update(body).digest('hex')}`;
		expect(verifyMetaSignature(body, sha1, APP_SECRET)).toEqual({ valid: false, reason: 'malformed-signature' });
		expect(verifyMetaSignature(body, metaSignature(body).slice(0, -2), APP_SECRET)).toEqual({ valid: false, reason: 'malformed-signature' });
	});

	it('refuses to verify without a raw body or without an app secret', () => {
		expect(verifyMetaSignature(undefined, metaSignature(body), APP_SECRET)).toEqual({ valid: false, reason: 'no-raw-body' });
		expect(verifyMetaSignature(body, metaSignature(body, ''), '')).toEqual({ valid: false, reason: 'no-app-secret' });
	});
});

describe('verification handshake', () => {
	const query = (token: string, mode = 'subscribe') => ({ 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': '1158201444' });

	it('echoes the challenge for the right token only', () => {
		expect(answerVerificationRequest(query('tok'), 'tok')).toEqual({ status: 200, challenge: '1158201444' });
		expect(answerVerificationRequest(query('tok2'), 'tok')).toEqual({ status: 403 });
		expect(answerVerificationRequest(query('to'), 'tok')).toEqual({ status: 403 });
		expect(answerVerificationRequest(query('tok', 'unsubscribe'), 'tok')).toEqual({ status: 403 });
		expect(answerVerificationRequest({ 'hub.mode': 'subscribe', 'hub.verify_token': 'tok' }, 'tok')).toEqual({ status: 403 });
	});

	it('never accepts when no verify token is configured', () => {
		expect(answerVerificationRequest(query(''), '')).toEqual({ status: 403 });
	});

	it('secretEquals compares whole strings', () => {
		expect(secretEquals('abc', 'abc')).toBe(true);
		expect(secretEquals('abc', 'abcd')).toBe(false);
		expect(secretEquals('abd', 'abc')).toBe(false);
	});
});
