/**
 * Reads the Stripe-Signature header, `t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]`, the way stripe-node's
 * parseHeader does: comma-separated key=value pairs taken as written (no trimming), the last `t` wins, every
 * `v1` counts (two while a secret is being rolled), other schemes are ignored. Read here, before any secret is
 * tried, a broken header is named as such instead of being guessed from the SDK's error text.
 */
export interface StripeSignatureHeader {
	/** When Stripe signed, in Unix seconds. */
	timestamp: number;
	/** Every `v1` value; the SDK compares each with the expected signature. */
	signatures: string[];
}

export type SignatureHeaderReading =
	| { ok: true; header: StripeSignatureHeader }
	| { ok: false; reason: 'missing Stripe-Signature header' | 'unparseable Stripe-Signature header' };

export function readStripeSignatureHeader(value: unknown): SignatureHeaderReading {
	if (value === undefined || value === null || value === '') return { ok: false, reason: 'missing Stripe-Signature header' };
	// Not text: the header came more than once, which Stripe never does.
	if (typeof value !== 'string') return { ok: false, reason: 'unparseable Stripe-Signature header' };
	let timestamp: number | undefined;
	const signatures: string[] = [];
	for (const pair of value.split(',')) {
		const [key, text = ''] = pair.split('=');
		if (key === 't') timestamp = /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
		if (key === 'v1' && text !== '') signatures.push(text);
	}
	if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'unparseable Stripe-Signature header' };
	return { ok: true, header: { timestamp, signatures } };
}
