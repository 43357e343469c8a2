/** What every category of cases (cases/*.ts) gets from the generator (generate.ts). */
import type { Rng } from './random';
import type { Header, Kit, N8nDefect, Secrets, SignatureState } from './types';

export const JSON_TYPE = 'application/json';
export const MiB = 1024 * 1024;

/** Category → share of the default count (543 per endpoint). */
export const QUOTAS = {
	'random-bytes': 70,
	truncated: 60,
	'non-utf8': 50,
	'content-type': 60,
	'duplicate-signature': 40,
	'malformed-signature': 90,
	'deep-json': 20,
	huge: 11,
	'wrong-shape': 100,
	'wrong-method': 30,
	'content-encoding': 12,
};
export type Category = keyof typeof QUOTAS;
export const DEFAULT_COUNT = Object.values(QUOTAS).reduce((a, b) => a + b, 0);

/** One case as a category describes it; `add` works out what it may get. */
export interface CaseSpec {
	kind: Category;
	variant: string;
	body?: Buffer;
	contentType?: string;
	/** signature and other headers (after the content type) */
	headers?: Header[];
	/** whether the node must find the signature right */
	signature?: SignatureState;
	/** Stripe: the body is a Stripe event of this unselected type */
	ignoredType?: string;
	method?: string;
	query?: string;
	xmlValid?: boolean;
	/** the body n8n reads after undoing Content-Encoding gzip/deflate */
	inflated?: Buffer;
	/** when n8n's part is not modelled (multipart, broken content encodings) */
	expect?: number[];
	/** n8n itself mishandles it (see N8N_DEFECTS) */
	n8nDefect?: N8nDefect;
}

export interface CaseContext {
	rng: Rng;
	kit: Kit;
	secrets: Secrets;
	/** the endpoint is Stripe's (else a Meta trigger's) */
	stripe: boolean;
	/** the Stripe signatures' time, s since the epoch */
	t: number;
	quota: (kind: Category) => number;
	add: (c: CaseSpec) => void;
	/** the signature header with this value */
	sig: (value: string) => Header[];
	/** A body the node answers 200 for when signed (Stripe: with its event type). */
	ignored: () => { body: Buffer; type?: string };
	/** Signed right, forged (a well-formed wrong signature), or not signed at all; `mode` goes into the variant. */
	signing: (body: Buffer, mode?: SignatureState) => { mode: SignatureState; headers: Header[]; signature: SignatureState };
}
