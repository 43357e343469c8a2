/** Create Customer Portal Session: whose portal, where it returns to, and which configuration and language. */
import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../../../shared/optionsCollection';
import { PORTAL_LOCALE_OPTIONS } from '../../stripeLocales';

const shown = { show: { resource: ['customerPortalSession'], operation: ['create'] } };

export const createPortalProperties: INodeProperties[] = [
	{
		displayName:
			'Needs the Customer Portal saved once in Stripe Dashboard → Settings → Billing → Customer portal (in test mode and in live mode): choose there what subscribers may do (cancel, switch plans, update the card). The link is short-lived: send it at once.',
		name: 'portalNotice',
		type: 'notice',
		default: '',
		displayOptions: shown,
	},
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '={{ $json.customerId }}',
		placeholder: 'cus_NffrFeUfNV2Hib',
		description:
			'The Stripe customer whose portal opens (cus_…), e.g. the customerId of the order row or of a Stripe Webhook Verify event. Only this customer\'s subscriptions, invoices and cards are shown.',
		displayOptions: shown,
	},
	{
		displayName: 'Return URL',
		name: 'returnUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/account',
		description:
			'Where the portal\'s back link leads (https://…). Empty: the default redirect link set in the portal settings, if any.',
		displayOptions: shown,
	},
	optionsCollection(
		[
			{
				displayName: 'Configuration ID',
				name: 'configurationId',
				type: 'string',
				default: '',
				placeholder: 'bpc_1MAhNDLkdIwHu7ix',
				description: 'A portal configuration made for this (bpc_…). Empty: the default one saved in the Dashboard.',
			},
			{
				displayName: 'Locale',
				name: 'locale',
				type: 'options',
				options: PORTAL_LOCALE_OPTIONS,
				default: 'auto',
				description: 'Language of the portal',
			},
		],
		{ displayOptions: shown },
	),
];
