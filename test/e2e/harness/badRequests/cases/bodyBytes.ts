/** Bodies that are bytes, not a payload: random bytes, truncated deliveries, bytes that are not UTF-8. */
import { type CaseContext, JSON_TYPE } from '../context';
import { withField } from '../n8nBody';

export function addBodyBytesCases(context: CaseContext): void {
	const { rng, kit, stripe, quota, add, sig, ignored, signing } = context;
	// 1. random bytes
	for (let i = quota('random-bytes'); i > 0; i--) {
		const r = rng.next();
		const length = r < 0.3 ? rng.int(1, 32) : r < 0.9 ? rng.int(33, 2048) : rng.int(2049, 65536);
		const body = rng.bytes(length);
		const contentType = rng.pick([JSON_TYPE, JSON_TYPE, 'application/octet-stream', undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']);
		const s = signing(body);
		add({ kind: 'random-bytes', variant: `${length} bytes, ${contentType ?? 'no content type'}, ${s.mode} signature`, body, contentType, headers: s.headers, signature: s.signature });
	}

	// 2. truncated valid deliveries, signed over the bytes sent or over the whole delivery
	for (let i = quota('truncated'); i > 0; i--) {
		const cut = rng.next() < 0.1 ? rng.int(0, 2) : rng.int(0, kit.sample.length - 1);
		const body = kit.sample.subarray(0, cut);
		const overFull = rng.next() < 0.5;
		const contentType = rng.pick([JSON_TYPE, JSON_TYPE, 'text/plain', undefined]);
		add({
			kind: 'truncated',
			variant: `${cut} of ${kit.sample.length} bytes, ${contentType ?? 'no content type'}, signed over ${overFull ? 'the whole delivery' : 'the bytes sent'}`,
			body, contentType, headers: sig(kit.sign(overFull ? kit.sample : body)), signature: overFull ? 'invalid' : 'valid',
		});
	}

	// 3. bytes that are not UTF-8
	const BAD_UTF8 = [[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];
	const badBytes = () => (rng.next() < 0.7 ? Buffer.from(rng.pick(BAD_UTF8)) : Buffer.from(Array.from({ length: rng.int(1, 40) }, () => rng.int(0x80, 0xff))));
	// Stripe: never an event here (its SDK checks the signature over lossily decoded text), so always 400
	const plain = () => (stripe ? Buffer.from(JSON.stringify({ object: 'page', zz_note: rng.text(rng.int(0, 20)) })) : ignored().body);
	const nonUtf8 = [
		// inside a string of an ignored payload: still JSON after lossy decoding
		() => ({ what: 'invalid UTF-8 inside a string', body: withField(plain(), 'zz_bytes', Buffer.concat([Buffer.from('"'), badBytes(), Buffer.from('"')])) }),
		() => ({ what: 'invalid UTF-8 in the JSON structure', body: Buffer.concat([Buffer.from('{"object":'), badBytes(), Buffer.from('}')]) }),
		() => ({ what: 'only invalid UTF-8', body: Buffer.concat(Array.from({ length: rng.int(1, 30) }, badBytes)) }),
		() => ({ what: 'UTF-16LE with BOM', body: Buffer.from(`\ufeff${plain().toString('utf8')}`, 'utf16le') }),
		() => ({ what: 'UTF-16BE with BOM', body: Buffer.from(`\ufeff${plain().toString('utf8')}`, 'utf16le').swap16() }),
		() => ({ what: 'Latin-1 text in a string', body: Buffer.from(`{"object":"page","zz_name":"Jos\u00e9 M\u00fcller \u00a3${rng.int(1, 99)}"}`, 'latin1') }),
		() => ({ what: 'UTF-8 BOM before JSON', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain()]) }),
		() => ({ what: 'raw control bytes in a string', body: Buffer.from(`{"object":"page","zz":"a${String.fromCharCode(rng.int(0, 31))}b"}`, 'latin1') }),
	];
	for (let i = quota('non-utf8'); i > 0; i--) {
		const { what, body } = rng.pick(nonUtf8)();
		const contentType = rng.pick([JSON_TYPE, JSON_TYPE, 'text/plain', undefined, 'application/json; charset=utf-16le', 'application/json; charset=latin1', 'application/json; charset=utf-16']);
		const s = signing(body);
		add({ kind: 'non-utf8', variant: `${what}, ${contentType ?? 'no content type'}, ${s.mode} signature`, body, contentType, headers: s.headers, signature: s.signature });
	}
}
