/**
 * The Customer Portal Session resource: a login link to Stripe's hosted portal, where a subscriber
 * cancels, changes plan or updates the card of their own customer.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { StripeRun } from '../stripeRun';
import { createPortalSession } from './create/execute';
import { createPortalProperties } from './create/properties';

export type CustomerPortalSessionOperation = 'create';

export const customerPortalSessionOperations: Record<
	CustomerPortalSessionOperation,
	(run: StripeRun, itemIndex: number, json: IDataObject) => Promise<IDataObject>
> = {
	create: createPortalSession,
};

export const customerPortalSessionProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customerPortalSession'] } },
		options: [
			{
				name: 'Create Customer Portal Session',
				value: 'create',
				action: 'Create a customer portal session',
				description:
					'Create a short-lived link to Stripe\'s Customer Portal for one customer, to cancel, change plan or update the card',
			},
		],
		default: 'create',
	},
	...createPortalProperties,
];
