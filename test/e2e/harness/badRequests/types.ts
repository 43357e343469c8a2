/** The shapes the bad-request model is made of (see index.ts for what the model is). */
import type { Rng } from './random';

export type Endpoint = 'whatsapp' | 'instagram' | 'stripe';
export type SignatureState = 'valid' | 'invalid' | 'none';
export type Header = [string, string];

export interface BadRequest {
	/** `<endpoint>#<index>`: the index in the list this seed generates */
	id: string;
	/** category (random-bytes, truncated, …) */
	kind: string;
	/** what exactly is wrong with it */
	variant: string;
	method: string;
	/** appended to the webhook URL ('' or '?…') */
	query: string;
	/** in order; a repeated name goes out as separate header lines */
	headers: Header[];
	body: Buffer | undefined;
	/** the statuses this request may get */
	expect: number[];
	/** for a case that must get 200: the JSON body it must get */
	answer?: unknown;
	/** n8n itself mishandles this request before any node runs (see N8N_DEFECTS) */
	n8nDefect?: N8nDefect;
}

export interface N8nDefect {
	/** what n8n answers instead of `expect` */
	statuses: number[];
	/** n8n may not answer at all */
	noAnswer?: boolean;
	why: string;
}

export interface Secrets {
	appSecret: string;
	stripeWebhookSecret: string;
}

export interface BadRequestOptions {
	endpoint: Endpoint;
	seed: number;
	secrets: Secrets;
	/** about how many (default 543); every category gets its share */
	count?: number;
	/** a valid delivery for the endpoint (truncated into bad ones); a built-in one by default */
	sampleBody?: unknown;
	/**
	 * ms since the epoch for Stripe timestamps (default: now). Stripe cases must be sent within 300 s of it: a
	 * well signed one is only valid that long.
	 */
	now?: number;
	/** the webhook node's typeVersion (default 2, the template's): which bodies n8n reads */
	typeVersion?: 1 | 2;
}

/** What differs between the Meta endpoints and Stripe's: how to sign, what a node answers. */
export interface Kit {
	signatureHeader: string;
	/** the right signature */
	sign: (body: Buffer, o?: { timestamp?: number }) => string;
	/** a well-formed wrong one */
	forge: (rng: Rng, body: Buffer) => string;
	/** a payload the node answers 200 without a run */
	ignoredPayload: (rng: Rng) => { value: unknown; type?: string };
	/** a valid delivery (starts a run: only sent truncated) */
	sample: Buffer;
	nodeStatus: (o: { body: Buffer; signature: SignatureState; rawBody: boolean; ignoredType?: string }) => number;
	/** the documented 200 body */
	answer: (type: string | undefined) => unknown;
}
