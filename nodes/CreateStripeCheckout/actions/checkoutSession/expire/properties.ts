/** Expire Checkout Session: which session to end. */
import type { INodeProperties } from 'n8n-workflow';

export const expireProperties: INodeProperties[] = [
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		required: true,
		default: '={{ $json.sessionId }}',
		placeholder: 'cs_test_a1B2c3…',
		description:
			'The Checkout Session to expire (cs_…), e.g. the sessionId of Create Checkout Session or of a Stripe Webhook Verify event. Its link stops working at once. A session that is already expired counts as done; one the customer already paid is reported (expired: false, status: complete), not expired.',
		displayOptions: { show: { resource: ['checkoutSession'], operation: ['expire'] } },
	},
];
