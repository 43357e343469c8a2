import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

export class ChatCheckoutStripeApi implements ICredentialType {
	name = 'chatCheckoutStripeApi';

	displayName = 'Stripe Checkout API';

	icon: Icon = { light: 'file:../icons/stripe.svg', dark: 'file:../icons/stripe.dark.svg' };

	documentationUrl = 'https://docs.stripe.com/keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'sk_test_… or rk_test_…',
			description:
				'Stripe Dashboard → Developers → API keys. A restricted key (rk_…) needs "Checkout Sessions: Write", plus "Prices: Read" and "Products: Read" for lookup keys. The prefix decides the mode: sk_test_/rk_test_ create test-mode sessions (no real money), sk_live_/rk_live_ live ones; prices, lookup keys and webhook endpoints exist per mode, so use the same mode everywhere.',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_…',
			description:
				'Needed by Stripe Webhook Verify. Stripe Dashboard → Developers → Webhooks → your endpoint → Signing secret → Reveal. Test-mode and live-mode endpoints have different secrets; the Stripe CLI (stripe listen) prints yet another one. Spaces or line breaks pasted around the secret are ignored (a whsec_ secret never contains any), and n8n\'s log warns once so you can clean the field.',
		},
		{
			displayName: 'Previous Webhook Signing Secret',
			name: 'previousWebhookSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_…',
			description:
				'Only while rolling the signing secret (Webhooks → your endpoint → Roll secret): put the new one above and the old one here, so events signed with either pass until the old one expires; then clear this field. Spaces or line breaks around it are ignored, as above.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.stripe.com',
			description:
				'Where Stripe API calls go. Keep https://api.stripe.com; point it at a local stand-in (stripe-mock, a test server on http://127.0.0.1:<port>) for testing. Origin only, no path.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.secretKey}}' } },
	};

	// Tests the permission the nodes actually use (listing Checkout Sessions needs the same "Checkout
	// Sessions" permission as creating them), so a correctly scoped restricted key passes.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://api.stripe.com").replace(/\\/+$/, "")}}',
			url: '/v1/checkout/sessions',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Stripe rejected the secret key (wrong, rolled or deleted): copy it again from Stripe Dashboard → Developers → API keys. Test keys start with sk_test_/rk_test_, live keys with sk_live_/rk_live_.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'This restricted key lacks the "Checkout Sessions: Write" permission: edit it in Stripe Dashboard → Developers → API keys (also grant "Prices: Read" and "Products: Read" for lookup keys), or use the secret key',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The API Base URL does not lead to the Stripe API: use https://api.stripe.com (origin only, no path)',
				},
			},
		],
	};
}
