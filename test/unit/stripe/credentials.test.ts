/**
 * The Stripe Checkout API credential: its test request, resolved with n8n's expression engine and sent with
 * the credential's own authenticate block to the Stripe simulator, and the rules that explain failures.
 */
import type {
	IAuthenticateRuleResponseCode,
	IExecuteFunctions,
	INodeTypes,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ChatCheckoutStripeApi } from '../../../credentials/ChatCheckoutStripeApi.credentials';
import { credentialProbe } from '../../support/credentialProbe';
import { executeNode } from '../../support/n8n';
import { testSecretKey } from '../../support/stripeTestSecrets';
import { sentParams, useUnitStripe } from '../../support/unitStripe';

const credentialType = new ChatCheckoutStripeApi();

function resolveWithCredentials(template: string, credentials: Record<string, unknown>): string {
	const node = { id: 'c', name: 'Credential test', type: 'test', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	const workflow = new Workflow({
		id: 'credential-test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => ({ description: { properties: [] } }), getByNameAndVersion: () => ({ description: { properties: [] } }), getKnownTypes: () => ({}) } as unknown as INodeTypes,
	});
	return String(workflow.expression.getSimpleParameterValue(node, template, 'manual', { $credentials: credentials } as never));
}

/** Sends the credential's test request the way n8n does: resolved URL, credential authentication, rules. */
async function runCredentialTest(credentials: Record<string, unknown>): Promise<string> {
	const request = credentialType.test.request;
	const baseURL = resolveWithCredentials(String(request.baseURL), credentials);
	const probe = credentialProbe(credentialType.name, async function (this: IExecuteFunctions) {
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType.name, {
			method: 'GET',
			url: `${baseURL}${request.url}`,
			qs: request.qs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number };
		return [[{ json: { statusCode: response.statusCode }, pairedItem: { item: 0 } }]];
	});
	const [[result]] = await executeNode({
		nodeType: probe,
		parameters: {},
		credentials: { [credentialType.name]: credentials as never },
		credentialTypes: [credentialType],
		items: [{ json: {} }],
	});
	const statusCode = result.json.statusCode as number;
	if (statusCode < 300) return 'Connection tested successfully';
	const rule = (credentialType.test.rules as IAuthenticateRuleResponseCode[]).find((candidate) => candidate.properties.value === statusCode);
	return rule?.properties.message ?? `HTTP ${statusCode}`;
}

describe('Stripe Checkout API credential', () => {
	const stripe = useUnitStripe();

	it('tests the key with a cheap authenticated read of Checkout Sessions through the base URL', async () => {
		const { secretKey } = stripe;
		const outcome = await runCredentialTest({ secretKey, baseUrl: `${stripe.baseUrl}/` });

		expect(outcome).toBe('Connection tested successfully');
		expect(stripe.requests).toHaveLength(1);
		expect(stripe.requests[0]).toMatchObject({ method: 'GET', path: '/v1/checkout/sessions', status: 200 });
		expect(sentParams(stripe.requests[0]).get('limit')).toBe('1');
		expect(stripe.requests[0].headers.authorization).toBe(`Bearer ${secretKey}`);
	});

	it('explains a wrong key (401) and a restricted key without the permission (403)', async () => {
		// A key this Stripe does not know: its real 401.
		const wrongKey = await runCredentialTest({ secretKey: testSecretKey(), baseUrl: stripe.baseUrl });
		expect(stripe.requests.map((request) => request.status)).toEqual([401]);
		expect(wrongKey).toMatch(/rejected the secret key/);
		expect(wrongKey).toContain('Developers → API keys');
		expect(wrongKey).toContain('sk_test_');

		stripe.sim.failNext({ status: 403, error: { type: 'invalid_request_error', message: 'The provided key does not have the required permissions' } });
		const restricted = await runCredentialTest({ secretKey: stripe.secretKey, baseUrl: stripe.baseUrl });
		expect(stripe.requests.map((request) => request.status)).toEqual([401, 403]);
		expect(restricted).toContain('"Checkout Sessions: Write"');
		expect(restricted).toContain('Developers → API keys');
	});

	it('keeps every secret field masked, and says which mode a key prefix means', () => {
		const secretFields = credentialType.properties.filter((property) => /secret|key/i.test(property.name) && property.name !== 'baseUrl');
		expect(secretFields.map((property) => property.name)).toEqual(['secretKey', 'webhookSigningSecret', 'previousWebhookSigningSecret']);
		for (const field of secretFields) expect(field.typeOptions?.password).toBe(true);
		expect(credentialType.properties.find((property) => property.name === 'secretKey')?.description).toMatch(/sk_live_.*live/);
		expect(credentialType.authenticate.properties.headers).toEqual({ Authorization: '=Bearer {{$credentials.secretKey}}' });
	});
});
