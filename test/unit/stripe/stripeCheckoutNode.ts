/**
 * The Stripe Checkout node inside n8n-core's ExecuteContext, with the real Stripe SDK talking to a fresh
 * Stripe simulator for every test of the file (started before each test with the file's price catalogue,
 * stopped after it).
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ChatCheckoutStripeApi } from '../../../credentials/ChatCheckoutStripeApi.credentials';
import { CreateStripeCheckout } from '../../../nodes/CreateStripeCheckout/CreateStripeCheckout.node';
import { executeNode } from '../../support/n8n';
import type { PriceSpec, UnitStripe } from '../../support/unitStripe';
import { useUnitStripe } from '../../support/unitStripe';

export interface StripeCheckoutUnderTest {
	/** This test's simulator; `stripe.secretKey` is the key the node's credential holds. */
	readonly stripe: UnitStripe;
	readonly secretKey: string;
	/** One run of the node over `items`; the node's first output. */
	run(parameters: INodeParameters, items: INodeExecutionData[], continueOnFail?: boolean): Promise<INodeExecutionData[]>;
	/** The n8n error a run fails with (with another secret key if given); the test fails if the run does not. */
	failure(parameters: INodeParameters, items: INodeExecutionData[], secretKey?: string): Promise<NodeApiError | NodeOperationError>;
}

export function useStripeCheckoutNode(defaultParameters: INodeParameters, prices: PriceSpec[] = []): StripeCheckoutUnderTest {
	const stripe = useUnitStripe(prices);
	afterEach(() => jest.restoreAllMocks());

	async function execute(parameters: INodeParameters, items: INodeExecutionData[], continueOnFail: boolean, secretKey: string) {
		const [output] = await executeNode({
			nodeType: new CreateStripeCheckout(),
			parameters: { ...defaultParameters, ...parameters },
			credentials: { chatCheckoutStripeApi: { secretKey, baseUrl: stripe.baseUrl } },
			credentialTypes: [new ChatCheckoutStripeApi()],
			items,
			continueOnFail,
		});
		return output;
	}

	return {
		stripe,
		get secretKey() {
			return stripe.secretKey;
		},
		run: async (parameters, items, continueOnFail = false) => await execute(parameters, items, continueOnFail, stripe.secretKey),
		async failure(parameters, items, secretKey = stripe.secretKey) {
			try {
				await execute(parameters, items, false, secretKey);
			} catch (error) {
				if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
				throw error;
			}
			throw new Error('expected the node to fail');
		},
	};
}
