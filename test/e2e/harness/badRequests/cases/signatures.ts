/** Signature headers that are duplicated or malformed, on an ignored payload. */
import crypto from 'node:crypto';
import { type CaseContext, JSON_TYPE } from '../context';
import { TOO_LARGE_HEADER } from '../n8nBody';
import type { Header, SignatureState } from '../types';

export function addSignatureCases(context: CaseContext): void {
	const { rng, kit, secrets, stripe, t, quota, add, sig, ignored } = context;
	// 5. duplicated signature headers (Node joins them with ", " before n8n sees them)
	for (let i = quota('duplicate-signature'); i > 0; i--) {
		const { body, type } = ignored();
		const right = kit.sign(body);
		const wrong = kit.forge(rng, body);
		if (!stripe) {
			// a joined value is never `sha256=<64 hex>`: every duplicate is refused
			const pairs: Array<[string, string[]]> = [
				['right, wrong', [right, wrong]], ['wrong, right', [wrong, right]], ['right, right', [right, right]], ['right, empty', [right, '']],
				['right, sha1', [right, `sha1=${crypto.createHmac('sha1', secrets.appSecret).update(body).digest('hex')}`]], ['wrong, wrong', [wrong, kit.forge(rng, body)]],
			];
			const [what, values] = rng.pick(pairs);
			const names = rng.next() < 0.3 ? ['X-Hub-Signature-256', 'x-hub-signature-256'] : ['x-hub-signature-256', 'x-hub-signature-256'];
			add({ kind: 'duplicate-signature', variant: `two X-Hub-Signature-256 headers: ${what}`, body, contentType: JSON_TYPE, headers: values.map((v, n): Header => [names[n], v]), signature: 'invalid' });
			continue;
		}
		// Stripe reads "t=…,v1=…, t=…,v1=…" item by item: " t=" of the second is not `t` (leading space), its v1 counts
		const bad = `t=1,v1=${rng.bytes(32).toString('hex')}`;
		const sameT = `t=${t},v1=${rng.bytes(32).toString('hex')}`;
		const variants: Array<[string, string[], SignatureState]> = [
			['right, wrong with t=1 (t of the first counts, any v1 may match)', [right, bad], 'valid'],
			['wrong with t=1, right (t=1 is signed into nothing)', [bad, right], 'invalid'],
			['wrong with the same t, right', [sameT, right], 'valid'],
			['right, right', [right, right], 'valid'],
			['wrong, wrong', [wrong, bad], 'invalid'],
			['right, empty', [right, ''], 'valid'],
			['t only, v1 only', [`t=${t}`, right.split(',')[1]], 'invalid'],
			['v1 only, t only', [right.split(',')[1], `t=${t}`], 'invalid'],
		];
		const [what, values, state] = rng.pick(variants);
		const name = rng.next() < 0.3 ? 'Stripe-Signature' : 'stripe-signature';
		add({ kind: 'duplicate-signature', variant: `two Stripe-Signature headers: ${what}`, body, contentType: JSON_TYPE, headers: values.map((v): Header => [name, v]), signature: state, ignoredType: type });
	}

	// 6. malformed signature headers, on an ignored payload
	const malformed: Array<[string, (body: Buffer) => string, SignatureState | number]> = stripe
		? (() => {
			const v1 = (body: Buffer, timestamp = t) => kit.sign(body, { timestamp }).split(',')[1].slice(3);
			return [
				['t without v1', () => `t=${t}`, 'invalid'],
				['v1 without t', (b) => `v1=${v1(b)}`, 'invalid'],
				['non-numeric t', (b) => `t=abc,v1=${v1(b)}`, 'invalid'],
				['empty t', (b) => `t=,v1=${v1(b)}`, 'invalid'],
				['negative t', (b) => kit.sign(b, { timestamp: -1 }), 'invalid'],
				['empty v1', () => `t=${t},v1=`, 'invalid'],
				['v0 instead of v1', (b) => `t=${t},v0=${v1(b)}`, 'invalid'],
				['V1 upper case', (b) => `t=${t},V1=${v1(b)}`, 'invalid'],
				['T upper case', (b) => `T=${t},v1=${v1(b)}`, 'invalid'],
				['space after the comma', (b) => `t=${t}, v1=${v1(b)}`, 'invalid'],
				['spaces around =', (b) => `t = ${t},v1 = ${v1(b)}`, 'invalid'],
				['semicolons', (b) => `t=${t};v1=${v1(b)}`, 'invalid'],
				['upper-case hex', (b) => `t=${t},v1=${v1(b).toUpperCase()}`, 'invalid'],
				['wrong secret', (b) => kit.forge(rng, b), 'invalid'],
				['HMAC of the body without "t."', (b) => `t=${t},v1=${crypto.createHmac('sha256', secrets.stripeWebhookSecret).update(b).digest('hex')}`, 'invalid'],
				['SHA-256 of the body', (b) => `t=${t},v1=${crypto.createHash('sha256').update(b).digest('hex')}`, 'invalid'],
				['v1 one hex digit short', (b) => `t=${t},v1=${v1(b).slice(1)}`, 'invalid'],
				['v1 of another timestamp', (b) => `t=${t},v1=${v1(b, t - 1)}`, 'invalid'],
				['second t overrides a right one', (b) => `t=${t},t=1,v1=${v1(b)}`, 'invalid'],
				['too old: 301 s', (b) => kit.sign(b, { timestamp: t - 301 }), 'invalid'],
				['too old: 1 h', (b) => kit.sign(b, { timestamp: t - 3600 }), 'invalid'],
				['too old: 3 years', (b) => kit.sign(b, { timestamp: t - 1e8 }), 'invalid'],
				['too old: t=1', (b) => kit.sign(b, { timestamp: 1 }), 'invalid'],
				['latin-1 byte in v1', (b) => `t=${t},v1=${v1(b).slice(1)}\u00e9`, 'invalid'],
				['12 KiB header', (b) => `t=${t},v1=${v1(b)},v1=${'a'.repeat(12 * 1024)}x`, 'valid'],
				['empty', () => '', 'invalid'],
				['only whitespace', () => ' \t ', 'invalid'],
				// right ones in unusual but valid spellings
				['whitespace around the header value (not part of it)', (b) => `  ${kit.sign(b)} \t`, 'valid'],
				['a wrong v1 before the right one', (b) => `t=${t},v1=${rng.bytes(32).toString('hex')},v1=${v1(b)}`, 'valid'],
				['a second, earlier t before the right one', (b) => `t=1,t=${t},v1=${v1(b)}`, 'valid'],
				// the Stripe SDK only refuses signatures that are too old; one dated in the future needs the secret too
				['t 10 min in the future', (b) => kit.sign(b, { timestamp: t + 600 }), 'valid'],
				['t 1 year in the future', (b) => kit.sign(b, { timestamp: t + 31_536_000 }), 'valid'],
				['header over 16 KiB (Node: 431)', (b) => `${kit.sign(b)},v1=${'b'.repeat(TOO_LARGE_HEADER)}`, 431],
			];
		})()
		: (() => {
			const hex = (body: Buffer) => kit.sign(body).slice(7);
			return [
				['sha1= with an HMAC-SHA1', (b) => `sha1=${crypto.createHmac('sha1', secrets.appSecret).update(b).digest('hex')}`, 'invalid'],
				['sha1= with the HMAC-SHA256', (b) => `sha1=${hex(b)}`, 'invalid'],
				['no sha256= prefix', (b) => hex(b), 'invalid'],
				['sha256: instead of sha256=', (b) => `sha256:${hex(b)}`, 'invalid'],
				['sha-256=', (b) => `sha-256=${hex(b)}`, 'invalid'],
				['63 hex digits', (b) => `sha256=${hex(b).slice(1)}`, 'invalid'],
				['65 hex digits', (b) => `sha256=${hex(b)}0`, 'invalid'],
				['128 hex digits', (b) => `sha256=${hex(b)}${hex(b)}`, 'invalid'],
				['a non-hex digit', (b) => `sha256=${hex(b).slice(0, 63)}g`, 'invalid'],
				['empty', () => '', 'invalid'],
				['sha256= and nothing', () => 'sha256=', 'invalid'],
				['only whitespace', () => ' \t ', 'invalid'],
				['space after =', (b) => `sha256= ${hex(b)}`, 'invalid'],
				['text after the digest', (b) => `${kit.sign(b)} extra`, 'invalid'],
				['two digests in one value', (b) => `${kit.sign(b)},${kit.sign(b)}`, 'invalid'],
				['trailing semicolon', (b) => `${kit.sign(b)};`, 'invalid'],
				['wrong secret', (b) => `sha256=${crypto.createHmac('sha256', `${secrets.appSecret}x`).update(b).digest('hex')}`, 'invalid'],
				['empty secret', (b) => `sha256=${crypto.createHmac('sha256', '').update(b).digest('hex')}`, 'invalid'],
				['upper-cased secret', (b) => `sha256=${crypto.createHmac('sha256', secrets.appSecret.toUpperCase()).update(b).digest('hex')}`, 'invalid'],
				['HMAC of the body plus a newline', (b) => `sha256=${crypto.createHmac('sha256', secrets.appSecret).update(Buffer.concat([b, Buffer.from('\n')])).digest('hex')}`, 'invalid'],
				['SHA-256 of the body', (b) => `sha256=${crypto.createHash('sha256').update(b).digest('hex')}`, 'invalid'],
				['base64 digest', (b) => `sha256=${crypto.createHmac('sha256', secrets.appSecret).update(b).digest('base64')}`, 'invalid'],
				['latin-1 byte', (b) => `sha256=${hex(b).slice(0, 63)}\u00e9`, 'invalid'],
				['12 KiB value', (b) => `${kit.sign(b)}${'0'.repeat(12 * 1024)}`, 'invalid'],
				// right ones in spellings the trigger accepts: hex and the algorithm name are case-insensitive
				['upper-case hex', (b) => `sha256=${hex(b).toUpperCase()}`, 'valid'],
				['SHA256= upper-case prefix', (b) => `SHA256=${hex(b)}`, 'valid'],
				['whitespace around the header value (not part of it)', (b) => `  ${kit.sign(b)} \t`, 'valid'],
				['header over 16 KiB (Node: 431)', (b) => `${kit.sign(b)}${' '.repeat(TOO_LARGE_HEADER)}x`, 431],
			];
		})();
	for (let i = quota('malformed-signature'); i > 0; i--) {
		// every variant at least once, then at random
		const [what, make, outcome] = i <= malformed.length ? malformed[i - 1] : rng.pick(malformed);
		const { body, type } = ignored();
		add({
			kind: 'malformed-signature', variant: what, body, contentType: JSON_TYPE, headers: sig(make(body)), ignoredType: type,
			...(typeof outcome === 'number' ? { expect: [outcome] } : { signature: outcome }),
		});
	}
}
