/**
 * Which outside services `npm start` uses instead of its simulators, read from the environment. The default is
 * fully offline (every credential points at a simulator on 127.0.0.1). Two switches:
 *
 *   SANDBOX_MODEL_URL      an OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (Ollama) or
 *                          https://api.openai.com/v1; SANDBOX_MODEL_API_KEY (Ollama ignores it) and SANDBOX_MODEL
 *                          (the model name the template's "Chat model" node asks for; applied when the template
 *                          is imported — on a kept workflow, change it in that node)
 *   SANDBOX_STRIPE_SECRET_KEY + SANDBOX_STRIPE_WEBHOOK_SECRET
 *                          a Stripe *test-mode* key (sk_test_… / rk_test_…) and the whsec_… that
 *                          `stripe listen --forward-to <the Stripe webhook URL npm start prints>` shows
 *
 * Meta (WhatsApp / Instagram) stays simulated: the chat page is the customer's phone.
 */

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;
const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'];

/** A node of the template workflow, as far as the services touch it. */
interface TemplateNode {
	type: string;
	parameters?: { model?: { __rl?: unknown; value?: unknown } } & Record<string, unknown>;
}

export interface SandboxServices {
	/** null: the model simulator */
	model: { url: string; apiKey: string; model: string | null } | null;
	/** null: the Stripe simulator */
	stripe: { secretKey: string; webhookSecret: string } | null;
	/** The sandbox credential's data with the real service's URL and keys where one is configured. */
	credentialData: (type: string, data: Record<string, unknown>) => Record<string, unknown>;
	/** Sets the model name on the template before its import. */
	editTemplate: (workflow: { nodes: TemplateNode[] }) => void;
	/** Lets n8n reach a non-loopback service (drops the harness's refusing proxy) only when one is configured. */
	n8nEnv: Record<string, string | undefined>;
	/** One line per service, for the terminal. */
	describe: string[];
}

export function servicesFromEnv(env: Record<string, string | undefined>): SandboxServices {
	const problems: string[] = [];
	let model: SandboxServices['model'] = null;
	const modelUrl = (env.SANDBOX_MODEL_URL ?? '').trim();
	if (modelUrl) {
		let parsed: URL | undefined;
		try {
			parsed = new URL(modelUrl);
		} catch {
			problems.push(`SANDBOX_MODEL_URL is not a URL: "${modelUrl}" (e.g. http://127.0.0.1:11434/v1 for Ollama)`);
		}
		if (parsed && !/^https?:$/.test(parsed.protocol)) problems.push('SANDBOX_MODEL_URL must be http(s)');
		model = { url: modelUrl.replace(/\/+$/, ''), apiKey: (env.SANDBOX_MODEL_API_KEY ?? '').trim() || 'no-key-needed', model: (env.SANDBOX_MODEL ?? '').trim() || null };
	}
	let stripe: SandboxServices['stripe'] = null;
	const secretKey = (env.SANDBOX_STRIPE_SECRET_KEY ?? '').trim();
	const webhookSecret = (env.SANDBOX_STRIPE_WEBHOOK_SECRET ?? '').trim();
	if (secretKey || webhookSecret) {
		if (!/^(sk|rk)_test_/.test(secretKey)) problems.push('SANDBOX_STRIPE_SECRET_KEY must be a test-mode key (sk_test_… or rk_test_…; Stripe Dashboard → Developers → API keys, test mode on): the sandbox never uses live keys');
		if (!/^whsec_/.test(webhookSecret)) problems.push('SANDBOX_STRIPE_WEBHOOK_SECRET must be the whsec_… that `stripe listen --forward-to <Stripe webhook URL>` prints');
		stripe = { secretKey, webhookSecret };
	}
	if (problems.length > 0) throw new Error(problems.join('\n'));

	const outside = (url: string) => !LOOPBACK.test(new URL(url).hostname);
	const needsOutside = Boolean(stripe) || (model !== null && outside(model.url));
	return {
		model,
		stripe,
		credentialData(type, data) {
			if (type === 'openAiApi' && model) return { ...data, apiKey: model.apiKey, url: model.url };
			if (type === 'chatCheckoutStripeApi' && stripe) {
				return { ...data, secretKey: stripe.secretKey, webhookSigningSecret: stripe.webhookSecret, previousWebhookSigningSecret: '', baseUrl: 'https://api.stripe.com' };
			}
			return data;
		},
		editTemplate(workflow) {
			if (!model?.model) return;
			for (const node of workflow.nodes) {
				if (node.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi' && node.parameters?.model?.__rl) node.parameters.model.value = model.model;
			}
		},
		n8nEnv: needsOutside ? Object.fromEntries(PROXY_VARIABLES.map((name) => [name, undefined])) : {},
		describe: [
			model ? `model:  ${model.url}${model.model ? ` (${model.model})` : ''} — from SANDBOX_MODEL_URL` : 'model:  the simulator on 127.0.0.1 (SANDBOX_MODEL_URL points the credential at a real OpenAI-compatible server)',
			stripe
				? 'Stripe: your Stripe test mode — hosted checkout pages are Stripe\'s; forward its events with `stripe listen --forward-to <Stripe webhook URL below>`'
				: 'Stripe: the simulator on 127.0.0.1 (SANDBOX_STRIPE_SECRET_KEY + SANDBOX_STRIPE_WEBHOOK_SECRET switch to your Stripe test mode)',
		],
	};
}
