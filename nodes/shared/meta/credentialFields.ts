import type { INodeProperties } from 'n8n-workflow';

/** Default Graph API version for new credentials; Meta keeps each version for about two years. */
export const DEFAULT_GRAPH_API_VERSION = 'v25.0';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

/** Credential fields of a Meta messaging channel, shared by the WhatsApp and Instagram credentials. */
export interface MetaCredentialData {
	accessToken: string;
	appSecret: string;
	verifyToken: string;
	graphApiVersion: string;
	baseUrl: string;
}

export interface WhatsAppCredentialData extends MetaCredentialData {
	phoneNumberId: string;
}

export interface InstagramCredentialData extends MetaCredentialData {
	accountId: string;
}

/** The properties both Meta credentials share; `accountField` is the channel's own account id field. */
export function metaCredentialProperties(options: {
	tokenHint: string;
	accountField: INodeProperties;
	baseUrlOptions: string;
}): INodeProperties[] {
	return [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: options.tokenHint,
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Signs every webhook Meta sends (X-Hub-Signature-256). Find it in the App Dashboard → App settings → Basic → App secret.',
		},
		{
			displayName: 'Verify Token',
			name: 'verifyToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Any secret string you choose. Type the same value into the App Dashboard → Webhooks → Verify token when you set the callback URL.',
		},
		options.accountField,
		{
			displayName: 'Graph API Version',
			name: 'graphApiVersion',
			type: 'string',
			default: DEFAULT_GRAPH_API_VERSION,
			placeholder: DEFAULT_GRAPH_API_VERSION,
			description: 'Graph API version used for every call, e.g. v25.0',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_GRAPH_BASE_URL,
			description: `Where Graph API calls go. ${options.baseUrlOptions} Point it at a proxy or a local sandbox for testing.`,
		},
	];
}

/** Root of every Graph API call: base URL (no trailing slash) + version. */
export function graphApiRoot(credentials: Pick<MetaCredentialData, 'baseUrl' | 'graphApiVersion'>): string {
	const base = (credentials.baseUrl || DEFAULT_GRAPH_BASE_URL).trim().replace(/\/+$/, '');
	const version = (credentials.graphApiVersion || DEFAULT_GRAPH_API_VERSION).trim().replace(/^\/+|\/+$/g, '');
	return `${base}/${version}`;
}
