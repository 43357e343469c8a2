/** The generator: one seeded list of bad requests per endpoint and node version, each with what it may get. */
import { addBodyBytesCases } from './cases/bodyBytes';
import { addContentTypeCases } from './cases/contentTypes';
import { addPayloadCases } from './cases/payloads';
import { addSignatureCases } from './cases/signatures';
import { addTransportCases } from './cases/transport';
import { type CaseContext, type CaseSpec, type Category, DEFAULT_COUNT, QUOTAS } from './context';
import { metaKit } from './meta';
import { contentTypeOf, N8N_DEFECTS, n8nBodyGate, n8nReadsBody } from './n8nBody';
import { prng, seedOf } from './random';
import { defaultSample } from './samples';
import { SELECTABLE_STRIPE_TYPES, stripeKit } from './stripe';
import type { BadRequest, BadRequestOptions, Header, SignatureState } from './types';

export function badRequests(opts: BadRequestOptions): BadRequest[] {
	const { endpoint, secrets } = opts;
	if (!['whatsapp', 'instagram', 'stripe'].includes(endpoint)) throw new Error(`unknown endpoint ${endpoint}`);
	const now = opts.now ?? Date.now();
	const typeVersion = opts.typeVersion ?? 2;
	const scale = (opts.count ?? DEFAULT_COUNT) / DEFAULT_COUNT;
	const quota = (kind: Category) => Math.max(1, Math.round(QUOTAS[kind] * scale));
	const rng = prng(seedOf(`${opts.seed}:${endpoint}`));
	const sample = opts.sampleBody ?? defaultSample(endpoint);
	const kit = endpoint === 'stripe' ? stripeKit(secrets, sample, now) : metaKit(endpoint, secrets, sample);
	const stripe = endpoint === 'stripe';
	const t = Math.floor(now / 1000);

	const cases: Omit<BadRequest, 'id'>[] = [];
	const add = (c: CaseSpec) => {
		const method = c.method ?? 'POST';
		const body = c.body ?? (method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : Buffer.alloc(0));
		const headers: Header[] = [...(c.contentType !== undefined ? [['content-type', c.contentType] as Header] : []), ...(c.headers ?? [])];
		let expect = c.expect;
		if (!expect) {
			if (method !== 'POST') throw new Error(`${c.kind}/${c.variant}: other methods need an explicit expectation`);
			const read = c.inflated ?? body ?? Buffer.alloc(0);
			const gate = n8nBodyGate(c.contentType, read, c.xmlValid === true, typeVersion);
			expect = 'status' in gate
				? [gate.status]
				: [kit.nodeStatus({ body: read, signature: c.signature ?? 'none', rawBody: gate.rawBody, ignoredType: c.ignoredType })];
		}
		if (stripe && c.signature === 'valid' && c.ignoredType !== undefined && SELECTABLE_STRIPE_TYPES.has(c.ignoredType)) {
			throw new Error(`generator bug: ${c.variant} would start a run`);
		}
		// n8n's reader fails (500) only where n8n reads the body; where a version-2 node reads it, the node answers
		// (but a runaway inflation can leave either without an answer: inflatedOversize)
		const defect = c.n8nDefect && (c.n8nDefect === N8N_DEFECTS.xml || c.n8nDefect === N8N_DEFECTS.inflatedOversize || n8nReadsBody(contentTypeOf(c.contentType)?.type, typeVersion)) ? c.n8nDefect : undefined;
		cases.push({
			kind: c.kind, variant: c.variant, method, query: c.query ?? '', headers, body, expect,
			...(expect.length === 1 && expect[0] === 200 ? { answer: kit.answer(c.ignoredType) } : {}),
			...(defect ? { n8nDefect: defect } : {}),
		});
	};
	const sig = (value: string): Header[] => [[kit.signatureHeader, value]];
	const ignored = () => {
		const payload = kit.ignoredPayload(rng);
		return { body: Buffer.from(JSON.stringify(payload.value)), type: payload.type };
	};
	const signing = (body: Buffer, mode: SignatureState = rng.pick(['valid', 'invalid', 'none'] as const)) => ({
		mode,
		headers: mode === 'valid' ? sig(kit.sign(body)) : mode === 'invalid' ? sig(kit.forge(rng, body)) : [],
		signature: mode,
	});
	const context: CaseContext = { rng, kit, secrets, stripe, t, quota, add, sig, ignored, signing };

	// the categories in this order: the seed's list depends on it
	addBodyBytesCases(context); // 1. random bytes, 2. truncated deliveries, 3. bytes that are not UTF-8
	addContentTypeCases(context); // 4. wrong content types
	addSignatureCases(context); // 5. duplicated and 6. malformed signature headers
	addPayloadCases(context); // 7. deeply nested JSON, 8. huge bodies, 9. JSON of wrong shapes
	addTransportCases(context); // 10. wrong HTTP methods, 11. content encodings

	// one order for all, so categories interleave on the wire
	for (let i = cases.length - 1; i > 0; i--) {
		const j = Math.floor(rng.next() * (i + 1));
		[cases[i], cases[j]] = [cases[j], cases[i]];
	}
	return cases.map((c, index) => ({ id: `${endpoint}#${index}`, ...c }));
}
