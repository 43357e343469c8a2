/**
 * The node's parameters: Resource, then each resource's Operation and fields (actions/<resource>/). The
 * room for a next resource, such as the Customer Portal Session, is one more option here and one folder.
 */
import type { INodeProperties } from 'n8n-workflow';

import { checkoutSessionProperties } from './actions/checkoutSession';

export const stripeCheckoutProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Checkout Session', value: 'checkoutSession' }],
		default: 'checkoutSession',
	},
	...checkoutSessionProperties,
];
