import type { IExecuteFunctions, IDataObject, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { chatReferenceOf } from '../shared/chatReference';
import { runForEachItem } from '../shared/perItem';
import { announcePackProcess } from '../shared/redis/packProcesses';
import { operationFor } from './actions/router';
import { STRIPE_CREDENTIAL_TYPE, startStripeRun } from './actions/stripeRun';
import { stripeCheckoutProperties } from './description';

// In queue mode every n8n process with this pack says so in n8n's Redis (see packProcesses.ts).
announcePackProcess();

/** Type name and version stay those of "Create Stripe Checkout", so saved workflows keep working as they were. */
export class CreateStripeCheckout implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Checkout',
		name: 'createStripeCheckout',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["resource"] === "customerPortalSession" ? "Customer portal link" : $parameter["operation"] === "expire" ? "Expire checkout session" : $parameter["mode"] === "subscription" ? "Subscription checkout" : "Payment checkout" }}',
		description:
			'Create or expire Stripe Checkout payment links for chat orders, carrying the chat reference through Stripe, and Customer Portal links for subscribers',
		defaults: { name: 'Stripe Checkout' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: STRIPE_CREDENTIAL_TYPE, required: true }],
		properties: stripeCheckoutProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const run = await startStripeRun(this);
		const operation = operationFor(run);
		const output = await runForEachItem(this, {
			run: async (itemIndex, json) => await operation(run, itemIndex, json),
			// The chat reference stays on the error item, so the workflow can still answer the customer.
			keepOnError: (json) => ({
				chatRef: (chatReferenceOf(json) ?? null) as IDataObject | null,
				messageId: typeof json.messageId === 'string' || typeof json.messageId === 'number' ? String(json.messageId) : null,
			}),
		});
		return [output];
	}
}
