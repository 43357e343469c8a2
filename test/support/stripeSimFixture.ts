/**
 * A Stripe simulator per test, delivering its events to a fresh loopback receiver that keeps the raw bytes;
 * both are stopped after the test.
 */
import { startStripeSim, type StripeSim, type StripeSimOptions } from '../../tools/sandbox/stripe';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from './webhookReceiver';

export interface StripeSimFixture {
	/** Set before each test. */
	sim: StripeSim;
	/** What the simulator delivered in this test, in order. */
	received: ReceivedRequest[];
}

/**
 * Registers the beforeEach/afterEach; read `sim` and `received` inside tests (or a beforeEach declared after).
 * @param status the status the receiver answers each delivery with (default 200).
 */
export function useStripeSimWithReceiver(options: Omit<StripeSimOptions, 'webhookUrl'>, status?: () => number): StripeSimFixture {
	const fixture = {} as StripeSimFixture;
	let receiver: WebhookReceiver;
	beforeEach(async () => {
		receiver = await startWebhookReceiver(status);
		fixture.received = receiver.received;
		fixture.sim = await startStripeSim({ ...options, webhookUrl: receiver.url });
	});
	afterEach(async () => {
		await fixture.sim.stop();
		await receiver.stop();
	});
	return fixture;
}
