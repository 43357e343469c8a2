/**
 * `npm start`'s switch from simulators to real services (tools/sandbox/services.ts): offline unless asked,
 * test-mode Stripe keys only, and the credential data the sandbox writes for each case. Nothing is contacted.
 */
import { servicesFromEnv } from '../../tools/sandbox/services';
const template = require('../../workflows/chat-checkout.json');

/* eslint-disable @typescript-eslint/no-explicit-any */
const SIM_OPENAI = { apiKey: 'sk-sandbox-llm', url: 'http://127.0.0.1:5683/v1' };
const SIM_STRIPE = { secretKey: 'sk_test_sandbox', webhookSigningSecret: 'whsec_sim', previousWebhookSigningSecret: '', baseUrl: 'http://127.0.0.1:5682' };
const modelOf = (workflow: any) => workflow.nodes.find((n: any) => n.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi').parameters.model.value;

test('by default every credential stays on the simulators and n8n keeps its outbound block', () => {
	const services = servicesFromEnv({});
	expect(services.model).toBeNull();
	expect(services.stripe).toBeNull();
	expect(services.credentialData('openAiApi', SIM_OPENAI)).toEqual(SIM_OPENAI);
	expect(services.credentialData('chatCheckoutStripeApi', SIM_STRIPE)).toEqual(SIM_STRIPE);
	expect(services.n8nEnv).toEqual({});
	const workflow = structuredClone(template);
	services.editTemplate(workflow);
	expect(modelOf(workflow)).toBe(modelOf(template));
});

test('a local OpenAI-compatible server (Ollama) gets the credential and the model name; loopback needs no outbound access', () => {
	const services = servicesFromEnv({ SANDBOX_MODEL_URL: 'http://127.0.0.1:11434/v1/', SANDBOX_MODEL: 'llama3.1' });
	expect(services.credentialData('openAiApi', SIM_OPENAI)).toEqual({ apiKey: 'no-key-needed', url: 'http://127.0.0.1:11434/v1' });
	expect(services.credentialData('chatCheckoutStripeApi', SIM_STRIPE)).toEqual(SIM_STRIPE);
	expect(services.n8nEnv).toEqual({});
	const workflow = structuredClone(template);
	services.editTemplate(workflow);
	expect(modelOf(workflow)).toBe('llama3.1');
});

test('a remote model and real Stripe test mode lift the outbound block and rewrite those credentials', () => {
	const services = servicesFromEnv({
		SANDBOX_MODEL_URL: 'https://api.openai.com/v1',
		SANDBOX_MODEL_API_KEY: 'sk-proj-x',
		SANDBOX_STRIPE_SECRET_KEY: 'sk_test_51abc',
		SANDBOX_STRIPE_WEBHOOK_SECRET: 'whsec_cli',
	});
	expect(services.credentialData('openAiApi', SIM_OPENAI)).toEqual({ apiKey: 'sk-proj-x', url: 'https://api.openai.com/v1' });
	expect(services.credentialData('chatCheckoutStripeApi', SIM_STRIPE)).toEqual({
		secretKey: 'sk_test_51abc', webhookSigningSecret: 'whsec_cli', previousWebhookSigningSecret: '', baseUrl: 'https://api.stripe.com',
	});
	expect(Object.keys(services.n8nEnv).sort()).toEqual(['ALL_PROXY', 'HTTPS_PROXY', 'HTTP_PROXY', 'all_proxy', 'http_proxy', 'https_proxy']);
	expect(Object.values(services.n8nEnv).every((v) => v === undefined)).toBe(true);
});

test('live Stripe keys, a missing webhook secret and a malformed model URL are refused with what to do', () => {
	expect(() => servicesFromEnv({ SANDBOX_STRIPE_SECRET_KEY: 'sk_live_123', SANDBOX_STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toThrow(/test-mode key.*never uses live keys/);
	expect(() => servicesFromEnv({ SANDBOX_STRIPE_SECRET_KEY: 'sk_test_123' })).toThrow(/stripe listen --forward-to/);
	expect(() => servicesFromEnv({ SANDBOX_MODEL_URL: 'localhost:11434' })).toThrow(/SANDBOX_MODEL_URL/);
});
