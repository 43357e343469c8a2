/**
 * The Stripe Checkout node inside n8n-core's ExecuteContext, with the real Stripe SDK talking to a fresh
 * loopback stand-in for every test of the file (started before each test, closed after it).
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ChatCheckoutStripeApi } from '../../../credentials/ChatCheckoutStripeApi.credentials';
import { CreateStripeCheckout } from '../../../nodes/CreateStripeCheckout/CreateStripeCheckout.node';
import { executeNode } from '../../support/n8n';
import type { LocalStripe } from './localStripe';
import { startLocalStripe, testSecretKey } from './localStripe';

export interface StripeCheckoutUnderTest {
	/** This test's stand-in and test key. */
	readonly stripe: LocalStripe;
	readonly secretKey: string;
	/** One run of the node over `items`; the node's first output. */
	run(parameters: INodeParameters, items: INodeExecutionData[], continueOnFail?: boolean): Promise<INodeExecutionData[]>;
	/** The n8n error a run fails with; the test fails if the run does not. */
	failure(parameters: INodeParameters, items: INodeExecutionData[]): Promise<NodeApiError | NodeOperationError>;
}

export function useStripeCheckoutNode(defaultParameters: INodeParameters): StripeCheckoutUnderTest {
	const current = {} as { stripe: LocalStripe; secretKey: string };
	beforeEach(async () => {
		current.stripe = await startLocalStripe();
		current.secretKey = testSecretKey();
	});
	afterEach(async () => {
		jest.restoreAllMocks();
		await current.stripe.close();
	});
	const harness: StripeCheckoutUnderTest = {
		get stripe() {
			return current.stripe;
		},
		get secretKey() {
			return current.secretKey;
		},
		async run(parameters, items, continueOnFail = false) {
			const [output] = await executeNode({
				nodeType: new CreateStripeCheckout(),
				parameters: { ...defaultParameters, ...parameters },
				credentials: { chatCheckoutStripeApi: { secretKey: current.secretKey, baseUrl: current.stripe.baseUrl } },
				credentialTypes: [new ChatCheckoutStripeApi()],
				items,
				continueOnFail,
			});
			return output;
		},
		async failure(parameters, items) {
			try {
				await harness.run(parameters, items);
			} catch (error) {
				if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
				throw error;
			}
			throw new Error('expected the node to fail');
		},
	};
	return harness;
}
