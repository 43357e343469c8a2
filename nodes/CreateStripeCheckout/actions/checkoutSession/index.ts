/**
 * The Checkout Session resource: its operation selector, the fields of every operation, and which function
 * runs each one. A new operation is a folder beside create/ and expire/ with its properties and execute.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { StripeRun } from '../stripeRun';
import { createCheckoutSession } from './create/execute';
import { createProperties } from './create/properties';
import { expireSession } from './expire/execute';
import { expireProperties } from './expire/properties';

export type CheckoutSessionOperation = 'create' | 'expire';

export const checkoutSessionOperations: Record<
	CheckoutSessionOperation,
	(run: StripeRun, itemIndex: number, json: IDataObject) => Promise<IDataObject>
> = {
	create: createCheckoutSession,
	expire: expireSession,
};

export const checkoutSessionProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['checkoutSession'] } },
		options: [
			{
				name: 'Create Checkout Session',
				value: 'create',
				action: 'Create a checkout session',
				description: 'Create a Stripe-hosted payment link for a chat order, carrying the chat reference through Stripe',
			},
			{
				name: 'Expire Checkout Session',
				value: 'expire',
				action: 'Expire a checkout session',
				description: 'End a payment link so it can no longer be paid (safe to repeat)',
			},
		],
		// Workflows saved before there were operations have none: they keep creating sessions.
		default: 'create',
	},
	...createProperties,
	...expireProperties,
];
