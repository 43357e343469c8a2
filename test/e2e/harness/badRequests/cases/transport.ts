/** What goes wrong around the body: wrong HTTP methods and content encodings. */
import zlib from 'node:zlib';
import { type CaseContext, JSON_TYPE, MiB } from '../context';
import { N8N_DEFECTS } from '../n8nBody';

interface Encoded {
	what: string;
	encoding: string;
	body: Buffer;
	type?: string;
	compress: boolean;
	cut?: boolean;
	signInflated?: boolean;
	expect?: number[];
	contentType?: string;
}

export function addTransportCases(context: CaseContext): void {
	const { rng, kit, stripe, quota, add, sig, ignored } = context;
	// 10. wrong HTTP methods (n8n: 404, "not registered for <method> requests"); Meta's GET handshake with a wrong query: 403
	const handshakeQueries = [
		'', '?hub.mode=subscribe', '?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1',
		'?hub.mode=unsubscribe&hub.verify_token=sandbox-verify-token&hub.challenge=1', '?hub.verify_token=sandbox-verify-token&hub.challenge=1',
		'?hub.mode=subscribe&hub.verify_token=sandbox-verify-token', '?hub.mode=subscribe&hub.verify_token=sandbox-verify-token&hub.challenge=1&hub.challenge=2',
		'?hub.mode=subscribe&hub.verify_token=sandbox-verify-token&hub.verify_token=x&hub.challenge=1', '?hub.mode=subscribe&hub.verify_token=SANDBOX-VERIFY-TOKEN&hub.challenge=1',
		'?hub.mode=subscribe&hub.verify_token=sandbox-verify-token%00&hub.challenge=1', '?hub.mode=subscribe&hub.verify_token=&hub.challenge=1',
		'?hub[mode]=subscribe&hub[verify_token]=sandbox-verify-token&hub[challenge]=1', `?hub.mode=subscribe&hub.verify_token=${'x'.repeat(4000)}&hub.challenge=1`,
		'?hub.mode=subscribe&hub.verify_token=%E9%FF&hub.challenge=%F0%9F',
	];
	for (let i = quota('wrong-method'); i > 0; i--) {
		const method = rng.pick(stripe ? ['PUT', 'PATCH', 'DELETE', 'HEAD', 'GET'] : ['PUT', 'PATCH', 'DELETE', 'HEAD', 'GET', 'GET']);
		if (method === 'GET' && !stripe) {
			const query = i <= handshakeQueries.length ? handshakeQueries[i - 1] : rng.pick(handshakeQueries);
			add({ kind: 'wrong-method', variant: `GET handshake ${query.slice(0, 120) || '(no query)'}`, method, query, expect: [403] });
			continue;
		}
		const withBody = method !== 'HEAD' && method !== 'GET' && rng.next() < 0.7;
		const { body } = ignored();
		add({
			kind: 'wrong-method', variant: `${method}${withBody ? ' with a signed ignored payload' : ''}`, method,
			...(withBody ? { body, contentType: JSON_TYPE, headers: sig(kit.sign(body)) } : {}), expect: [404],
		});
	}

	// 11. content encodings: n8n inflates gzip and deflate (before the node sees the raw body) and reads others as they are
	const encodings: Array<() => Encoded> = [
		() => ({ what: 'gzip header on a plain body', encoding: 'gzip', ...ignored(), compress: false, expect: [400, 415] }),
		() => ({ what: 'deflate header on a plain body', encoding: 'deflate', ...ignored(), compress: false, expect: [400, 415] }),
		() => {
			const payload = ignored();
			return { what: 'gzip stream cut in half', encoding: 'gzip', body: payload.body, cut: true, compress: true, expect: [400, 415] };
		},
		// 40 KiB of gzip that inflates to 40 MiB: over the payload limit
		() => ({ what: 'gzip bomb (40 MiB inflated)', encoding: 'gzip', body: Buffer.alloc(40 * MiB, 0x20), compress: true, expect: [413] }),
		() => ({ what: 'gzip, signed over the inflated bytes', encoding: 'gzip', ...ignored(), compress: true, signInflated: true }),
		() => ({ what: 'gzip, signed over the compressed bytes', encoding: 'gzip', ...ignored(), compress: true, signInflated: false }),
		() => ({ what: 'br (not inflated by n8n) on a plain body', encoding: 'br', ...ignored(), compress: false, signInflated: true }),
		() => ({ what: 'GZIP upper case (not inflated by n8n) on a plain body', encoding: 'GZIP', ...ignored(), compress: false, signInflated: true }),
		() => ({ what: 'identity', encoding: 'identity', ...ignored(), compress: false, signInflated: true }),
		// a content type n8n's version-2 path leaves unread: the node reads (and inflates) the body itself
		() => {
			const payload = ignored();
			return { what: 'gzip stream cut in half, application/octet-stream', encoding: 'gzip', body: payload.body, cut: true, compress: true, contentType: 'application/octet-stream', expect: [400, 415] };
		},
		() => ({ what: 'gzip bomb (40 MiB inflated), application/octet-stream', encoding: 'gzip', body: Buffer.alloc(40 * MiB, 0x20), compress: true, contentType: 'application/octet-stream', expect: [413] }),
		() => ({ what: 'gzip, application/octet-stream, signed over the inflated bytes', encoding: 'gzip', ...ignored(), compress: true, contentType: 'application/octet-stream', signInflated: true }),
	];
	for (let i = quota('content-encoding'); i > 0; i--) {
		const e = i <= encodings.length ? encodings[i - 1]() : rng.pick(encodings)();
		let wire = e.compress ? zlib.gzipSync(e.body) : e.body;
		if (e.cut) wire = wire.subarray(0, Math.floor(wire.length / 2));
		const signed = e.signInflated === false ? wire : e.body;
		add({
			kind: 'content-encoding', variant: e.what, body: wire, contentType: e.contentType ?? JSON_TYPE,
			...(e.expect ? { n8nDefect: e.expect.includes(413) ? N8N_DEFECTS.inflatedOversize : N8N_DEFECTS.encoding } : {}),
			headers: [['content-encoding', e.encoding], ...sig(kit.sign(signed))],
			signature: e.signInflated === true ? 'valid' : 'invalid', ignoredType: e.type,
			...(e.compress && e.encoding === 'gzip' && !e.cut ? { inflated: e.body } : {}),
			...(e.expect ? { expect: e.expect } : {}),
		});
	}
}
