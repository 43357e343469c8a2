import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { metaCredentialProperties } from '../nodes/shared/meta/credentialFields';

export class ChatCheckoutInstagramApi implements ICredentialType {
	name = 'chatCheckoutInstagramApi';

	displayName = 'Instagram Messaging API';

	icon: Icon = { light: 'file:../icons/instagram.svg', dark: 'file:../icons/instagram.dark.svg' };

	documentationUrl = 'https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api';

	properties: INodeProperties[] = metaCredentialProperties({
		tokenHint:
			'Instagram Login: the Instagram User access token with instagram_business_manage_messages. Facebook Login: the Page access token of the Page linked to the Instagram account.',
		accountField: {
			displayName: 'Instagram Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The Instagram professional account ID that receives the DMs: the user_id that GET /me?fields=user_id,username returns for the token (the same ID appears as entry.id in webhooks)',
		},
		baseUrlOptions:
			'Use https://graph.instagram.com for Instagram Login, https://graph.facebook.com (default) for Facebook Login with a Page token.',
	});

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.baseUrl.replace(/\\/+$/, "")}}/{{$credentials.graphApiVersion.replace(/^\\/+|\\/+$/g, "")}}',
			url: '=/{{$credentials.accountId}}',
			qs: { fields: 'id,username' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Meta rejected the access token (expired, revoked or mistyped): generate a new token in App Dashboard → Instagram → API setup (Instagram Login) or a new Page token (Facebook Login)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						'Meta does not know this Instagram Account ID for this token, or the Base URL does not match the token: graph.instagram.com for Instagram Login tokens, graph.facebook.com for Page tokens',
				},
			},
		],
	};
}
