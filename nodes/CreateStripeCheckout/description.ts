/**
 * The node's parameters: Resource, then each resource's Operation and fields (actions/<resource>/).
 * A next resource is one more option here, one folder and one entry in actions/router.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

import { checkoutSessionProperties } from './actions/checkoutSession';
import { customerPortalSessionProperties } from './actions/customerPortalSession';

export const stripeCheckoutProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Checkout Session', value: 'checkoutSession' },
			{ name: 'Customer Portal Session', value: 'customerPortalSession' },
		],
		default: 'checkoutSession',
	},
	...checkoutSessionProperties,
	...customerPortalSessionProperties,
];
