/** Payloads n8n and the node must refuse or ignore: deeply nested JSON, huge bodies, JSON of wrong shapes. */
import { type CaseContext, JSON_TYPE, MiB } from '../context';
import { N8N_DEFECTS, PAYLOAD_SIZE_MAX, withField } from '../n8nBody';
import { STRIPE_NOT_EVENTS } from '../stripe';
import type { SignatureState } from '../types';

export function addPayloadCases(context: CaseContext): void {
	const { rng, kit, stripe, t, quota, add, sig, ignored, signing } = context;
	// 7. deeply nested JSON
	const deepVariants = [
		(n: number) => ({ what: `${n} levels of [`, text: `${'['.repeat(n)}${']'.repeat(n)}`, closed: true }),
		(n: number) => ({ what: `${n} levels of {"a":`, text: `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`, closed: true }),
		(n: number) => ({ what: `${n} unclosed [`, text: '['.repeat(n), closed: false }),
		(n: number) => ({ what: `${n} levels of [ inside an ignored payload`, text: 'wrap', closed: true, depth: n }),
	];
	for (let i = quota('deep-json'); i > 0; i--) {
		const depth = i === 1 ? 500_000 : rng.pick([10_000, 100_000]);
		const variant = deepVariants[i % deepVariants.length](depth);
		let body = Buffer.from(variant.text);
		let type;
		if (variant.text === 'wrap') {
			const payload = ignored();
			type = payload.type;
			body = withField(payload.body, 'zz_deep', Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`));
		}
		const contentType = rng.next() < 0.75 ? JSON_TYPE : 'text/plain';
		const s = signing(body, rng.next() < 0.7 ? 'valid' : 'invalid');
		add({ kind: 'deep-json', variant: `${variant.what}, ${contentType}, ${s.mode} signature`, body, contentType, headers: s.headers, signature: s.signature, ignoredType: type });
	}

	// 8. huge bodies: about 1 MiB, and (at most 3) just over n8n's 16 MiB limit
	const hugeVariants: Array<() => { what: string; body: Buffer; type?: string; sign: SignatureState }> = [
		() => {
			const payload = ignored();
			return { what: '1 MiB string in an ignored payload', body: withField(payload.body, 'zz_big', Buffer.from(`"${'x'.repeat(MiB)}"`)), type: payload.type, sign: 'valid' };
		},
		() => ({ what: '1 MiB array of 100k items', body: Buffer.from(JSON.stringify({ object: 'page', entry: Array.from({ length: 100_000 }, (_, n) => n % 3 === 0 ? null : n) })), sign: 'valid' }),
		() => ({ what: '1 MiB of random bytes', body: rng.bytes(MiB), sign: rng.pick(['none', 'valid']) }),
		() => ({ what: '1 MiB of whitespace around {}', body: Buffer.from(`${' '.repeat(MiB / 2)}{}${'\n'.repeat(MiB / 2)}`), sign: 'valid' }),
		() => ({ what: '1 MiB of unclosed [', body: Buffer.from('['.repeat(MiB)), sign: 'valid' }),
		() => {
			const payload = ignored();
			return { what: '1 MiB ignored payload, forged signature', body: Buffer.concat([payload.body, Buffer.from(' '.repeat(MiB))]), sign: 'invalid' };
		},
		() => ({ what: '1 MiB of text, not JSON', body: Buffer.from('hello world '.repeat(MiB / 12)), sign: 'valid' }),
		() => ({ what: '1 MiB of "a":1 pairs', body: Buffer.from(`{${Array.from({ length: 120_000 }, (_, n) => `"k${n}":1`).join(',')}}`), sign: 'valid' }),
	];
	const overLimit = Buffer.alloc(PAYLOAD_SIZE_MAX + 64 * 1024, 0x20);
	overLimit.write('{"object":"page","zz":"', 0);
	overLimit.write('"}', overLimit.length - 2);
	const hugeCount = quota('huge');
	const overCount = Math.min(3, Math.max(1, Math.round(hugeCount * 3 / 11)));
	for (let i = 0; i < hugeCount; i++) {
		if (i < overCount) {
			// n8n reads at most N8N_PAYLOAD_SIZE_MAX (16 MiB) and refuses the rest: "Payload Too Large"
			const [contentType, mode] = ([[JSON_TYPE, 'valid'], ['application/octet-stream', 'none'], ['text/plain', 'invalid']] as Array<[string | undefined, SignatureState]>)[i];
			const s = signing(overLimit, mode);
			add({ kind: 'huge', variant: `${overLimit.length} bytes (16 MiB + 64 KiB), ${contentType}, ${mode} signature`, body: overLimit, contentType, headers: s.headers, expect: [413], n8nDefect: N8N_DEFECTS.oversize });
			continue;
		}
		const v = hugeVariants[(i - overCount) % hugeVariants.length]();
		const contentType = rng.next() < 0.8 ? JSON_TYPE : 'text/plain';
		const s = signing(v.body, v.sign);
		add({ kind: 'huge', variant: `${v.what}, ${contentType}, ${s.mode} signature`, body: v.body, contentType, headers: s.headers, signature: s.signature, ignoredType: v.type });
	}

	// 9. JSON of wrong shapes, signed right
	for (let i = quota('wrong-shape'); i > 0; i--) {
		if (stripe && rng.next() < 0.55) {
			const shape = rng.pick(STRIPE_NOT_EVENTS);
			const body = Buffer.from(JSON.stringify(shape(rng, t)) ?? 'null');
			add({ kind: 'wrong-shape', variant: `not a Stripe event: ${body.toString('utf8').slice(0, 60)}`, body, contentType: JSON_TYPE, headers: sig(kit.sign(body)), signature: 'valid' });
			continue;
		}
		const { body, type } = ignored();
		add({
			kind: 'wrong-shape',
			variant: stripe ? `unselected event type ${JSON.stringify(type)}` : `${body.toString('utf8').slice(0, 70)}`,
			body, contentType: JSON_TYPE, headers: sig(kit.sign(body)), signature: 'valid', ignoredType: type,
		});
	}
}
