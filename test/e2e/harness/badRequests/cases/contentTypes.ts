/** Wrong content types on an ignored payload, mostly signed right. */
import { type CaseContext, JSON_TYPE } from '../context';
import { N8N_DEFECTS } from '../n8nBody';
import type { Header } from '../types';

interface TypedBody {
	body: Buffer;
	type?: string;
	contentType: string | undefined;
	xmlValid?: boolean;
	isMultipart?: boolean;
}

export function addContentTypeCases(context: CaseContext): void {
	const { rng, stripe, quota, add, ignored, signing } = context;
	// 4. wrong content types on an ignored payload, mostly signed right
	const multipart = (payload: Buffer, boundary = 'XyZzY') =>
		Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="payload"\r\nContent-Type: application/json\r\n\r\n`), payload, Buffer.from(`\r\n--${boundary}--\r\n`)]);
	/** multipart/form-data goes to formidable: 400 unless the body is multipart; a multipart body leaves no raw body (Meta 401, Stripe 400). */
	const multipartExpect = (isMultipart: boolean) => [isMultipart ? (stripe ? 400 : 401) : 400];
	const CONTENT_TYPES = [
		'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/octet-stream', undefined, 'APPLICATION/JSON',
		'application/json; charset=latin1', 'application/json; charset="utf-8"', 'application/json; charset=utf-16', 'application/json; charset=x-klingon',
		'application/json; charset=hex', 'application/json; charset=base64', 'text/plain; charset=ucs2', 'application/json, text/plain', ';;;', '',
		'text/html', 'image/png', 'application/vnd.api+json', 'application/json-patch+json', 'multipart/mixed; boundary=x', 'application/json ; charset=utf-8',
	];
	const fixedContentTypes: Array<() => TypedBody> = [
		// n8n parses *\/xml and +xml bodies; JSON is not XML
		() => ({ ...ignored(), contentType: 'application/xml', xmlValid: false }),
		() => ({ ...ignored(), contentType: 'text/xml; charset=utf-8', xmlValid: false }),
		() => ({ body: Buffer.from('<?xml version="1.0"?><object>page</object>'), contentType: 'application/xml', xmlValid: true }),
		() => ({ ...ignored(), contentType: 'multipart/form-data; boundary=XyZzY', isMultipart: false }),
		() => ({ ...ignored(), contentType: 'multipart/form-data', isMultipart: false }),
		() => {
			const payload = ignored();
			return { body: multipart(payload.body), type: payload.type, contentType: 'multipart/form-data; boundary=XyZzY', isMultipart: true };
		},
	];
	for (let i = quota('content-type'); i > 0; i--) {
		const fixed = i <= fixedContentTypes.length;
		const c: TypedBody = fixed ? fixedContentTypes[i - 1]() : { ...ignored(), contentType: rng.pick(CONTENT_TYPES) };
		const s = signing(c.body, rng.next() < 0.8 ? 'valid' : rng.pick(['invalid', 'none'] as const));
		// Node keeps the first of two Content-Type headers
		const second = !fixed && c.contentType !== undefined && rng.next() < 0.15;
		add({
			kind: 'content-type',
			variant: `${second ? 'two content types: ' : ''}${JSON.stringify(c.contentType ?? null)}${second ? ', "application/json"' : ''}, ${s.mode} signature`,
			body: c.body, contentType: c.contentType, headers: [...(second ? [['content-type', JSON_TYPE] as Header] : []), ...s.headers],
			signature: s.signature, ignoredType: c.type, xmlValid: c.xmlValid,
			...(c.contentType && /\/xml|\+xml/i.test(c.contentType) ? { n8nDefect: N8N_DEFECTS.xml } : {}),
			...(c.isMultipart !== undefined ? { expect: multipartExpect(c.isMultipart) } : {}),
		});
	}
}
