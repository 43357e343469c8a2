/**
 * The Stripe SDK client built from the "Stripe Checkout API" credential, and the one error for a credential
 * that cannot be used at all (StripeConfigurationError). Stripe's own API errors are explained in apiErrors.ts.
 * Nothing here logs; secrets never enter a message.
 */
import Stripe from 'stripe';

import { parseUrl } from '../url';

export const DEFAULT_STRIPE_BASE_URL = 'https://api.stripe.com';

/** Sent to Stripe as appInfo, so Stripe support can tell which integration made a request. */
export const STRIPE_APP_INFO = {
	name: 'n8n-nodes-chat-checkout',
	url: 'https://github.com/n8n-nodes-chat-checkout/n8n-nodes-chat-checkout',
} as const;

/** Few retries: a chat customer is waiting, and n8n's own "Retry On Fail" covers longer outages. */
export const STRIPE_MAX_NETWORK_RETRIES = 2;
export const STRIPE_TIMEOUT_MS = 30_000;

/** The fields of the `chatCheckoutStripeApi` credential. */
export interface StripeCredentialData {
	secretKey: string;
	webhookSigningSecret?: string;
	previousWebhookSigningSecret?: string;
	baseUrl?: string;
}

export type StripeKeyMode = 'test' | 'live' | 'unknown';

/** Which Stripe mode a key belongs to, read from its prefix (sk_test_…, rk_live_…). */
export function keyModeOf(secretKey: string | undefined): StripeKeyMode {
	const key = (secretKey ?? '').trim();
	if (/^(sk|rk)_test_/.test(key)) return 'test';
	if (/^(sk|rk)_live_/.test(key)) return 'live';
	return 'unknown';
}

/** The credential itself is unusable; the node turns this into a NodeOperationError. */
export class StripeConfigurationError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'StripeConfigurationError';
	}
}

export interface StripeEndpoint {
	protocol: 'http' | 'https';
	host: string;
	port: number;
}

/** Splits the credential's API base URL into what the SDK takes (it has no base-URL option of its own). */
export function parseStripeBaseUrl(baseUrl: string | undefined): StripeEndpoint {
	const text = (baseUrl ?? '').trim() || DEFAULT_STRIPE_BASE_URL;
	const url = parseUrl(text);
	if (url === undefined) {
		throw new StripeConfigurationError(
			`The API Base URL "${text}" in the Stripe Checkout API credential is not a URL`,
			`Use ${DEFAULT_STRIPE_BASE_URL} (or http://127.0.0.1:<port> for a local stand-in such as stripe-mock).`,
		);
	}
	const protocol = url.protocol.replace(/:$/, '');
	if (protocol !== 'http' && protocol !== 'https') {
		throw new StripeConfigurationError(
			`The API Base URL in the Stripe Checkout API credential must start with https:// (or http:// for a local stand-in)`,
			`Use ${DEFAULT_STRIPE_BASE_URL}.`,
		);
	}
	if (url.username || url.password || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
		throw new StripeConfigurationError(
			'The API Base URL in the Stripe Checkout API credential must be a bare origin, without a path, query or user name',
			`The Stripe SDK adds /v1/… itself. Use ${DEFAULT_STRIPE_BASE_URL}.`,
		);
	}
	const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
	// URL keeps IPv6 hosts in brackets; the SDK hands the host to node:http, which wants them bare.
	const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
	return { protocol, host, port };
}

/** The secret key, checked for the mistakes operators make most (publishable key, stray whitespace, empty). */
export function secretKeyOf(credentials: Pick<StripeCredentialData, 'secretKey'>): string {
	const key = typeof credentials.secretKey === 'string' ? credentials.secretKey.trim() : '';
	const where = 'Stripe Dashboard → Developers → API keys';
	if (key === '') {
		throw new StripeConfigurationError(
			'The Stripe Checkout API credential has no secret key',
			`Copy the secret key (sk_…) or a restricted key (rk_…) from ${where}.`,
		);
	}
	if (key.startsWith('pk_')) {
		throw new StripeConfigurationError(
			'The Stripe Checkout API credential holds a publishable key (pk_…), which cannot create Checkout Sessions',
			`Use the secret key (sk_…) or a restricted key (rk_…) from ${where}.`,
		);
	}
	if (!/^(sk|rk)_/.test(key)) {
		throw new StripeConfigurationError(
			'The secret key in the Stripe Checkout API credential does not look like a Stripe key (sk_… or rk_…)',
			`Copy it again from ${where}.`,
		);
	}
	return key;
}

export interface StripeClientOptions {
	maxNetworkRetries?: number;
	timeoutMs?: number;
}

export function createStripeClient(credentials: StripeCredentialData, options: StripeClientOptions = {}): Stripe {
	const key = secretKeyOf(credentials);
	const endpoint = parseStripeBaseUrl(credentials.baseUrl);
	return new Stripe(key, {
		host: endpoint.host,
		port: endpoint.port,
		protocol: endpoint.protocol,
		maxNetworkRetries: options.maxNetworkRetries ?? STRIPE_MAX_NETWORK_RETRIES,
		timeout: options.timeoutMs ?? STRIPE_TIMEOUT_MS,
		telemetry: false,
		appInfo: { ...STRIPE_APP_INFO },
	});
}
