/**
 * The project's Stripe simulator (tools/sandbox/stripe, the one e2e and `npm start` use) as unit tests use it:
 * a fresh one per test on 127.0.0.1, with two random test keys: one for the code under test, one for the
 * test's own arrangements (creating sessions and customers as Stripe would have them), so that the requests
 * the code made can be told apart from the test's. useUnitStripe starts and stops one around every test of a
 * file; whoever calls startUnitStripe itself stops it.
 */
import type Stripe from 'stripe';

import { startStripeSim } from '../../tools/sandbox/stripe';
import type { PriceSpec, RequestRecord, StripeSim } from '../../tools/sandbox/stripe';
import { testSecretKey, testSigningSecret } from './stripeTestSecrets';

export type { PriceSpec, RequestRecord, StripeSim };

export interface UnitStripe {
	readonly sim: StripeSim;
	/** `http://127.0.0.1:<port>`, the credential's Base URL. */
	readonly baseUrl: string;
	/** The key the code under test sends (the simulator accepts it). */
	readonly secretKey: string;
	/** A client with the test's own key, for arranging state; its requests are not in `requests`. */
	readonly setup: Stripe;
	/** Every request the code under test sent (any key but the setup one), in order. */
	readonly requests: RequestRecord[];
	stop(): Promise<void>;
}

export async function startUnitStripe(prices: PriceSpec[] = []): Promise<UnitStripe> {
	const secretKey = testSecretKey();
	const setupKey = testSecretKey();
	const sim = await startStripeSim({ secretKeys: [secretKey, setupKey], webhookSecret: testSigningSecret(), prices });
	const setup = sim.stripeClient(setupKey) as Stripe;
	return {
		sim,
		baseUrl: sim.url,
		secretKey,
		setup,
		get requests() {
			return sim.requests.filter((request) => request.headers.authorization !== `Bearer ${setupKey}`);
		},
		stop: () => sim.stop(),
	};
}

/** A fresh simulator for every test of the file (started before each test, stopped after it); read it inside tests. */
export function useUnitStripe(prices: PriceSpec[] = []): UnitStripe {
	let current: UnitStripe | undefined;
	beforeEach(async () => {
		current = await startUnitStripe(prices);
	});
	afterEach(async () => {
		await current?.stop();
		current = undefined;
	});
	const started = (): UnitStripe => {
		if (!current) throw new Error('useUnitStripe: the simulator runs only inside a test');
		return current;
	};
	return {
		get sim() {
			return started().sim;
		},
		get baseUrl() {
			return started().baseUrl;
		},
		get secretKey() {
			return started().secretKey;
		},
		get setup() {
			return started().setup;
		},
		get requests() {
			return started().requests;
		},
		stop: async () => await started().stop(),
	};
}

/** The form fields (POST) or query parameters (GET) of a request, exactly as sent. */
export function sentParams(request: RequestRecord): URLSearchParams {
	return new URLSearchParams(request.form);
}

/** The same as one object: field → value (a field sent twice would show its last value). */
export function sentForm(request: RequestRecord): Record<string, string> {
	return Object.fromEntries(sentParams(request));
}
