import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { metaCredentialProperties } from '../nodes/shared/meta/credentialFields';

export class ChatCheckoutWhatsAppApi implements ICredentialType {
	name = 'chatCheckoutWhatsAppApi';

	displayName = 'WhatsApp Cloud API';

	icon: Icon = { light: 'file:../icons/whatsapp.svg', dark: 'file:../icons/whatsapp.dark.svg' };

	documentationUrl = 'https://developers.facebook.com/docs/whatsapp/cloud-api/get-started';

	properties: INodeProperties[] = metaCredentialProperties({
		tokenHint:
			'A permanent System User token with whatsapp_business_messaging permission (Meta Business Settings → Users → System users → Generate new token)',
		accountField: {
			displayName: 'Phone Number ID',
			name: 'phoneNumberId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The ID of the business phone number (not the phone number itself): App Dashboard → WhatsApp → API Setup → Phone number ID',
		},
		baseUrlOptions: 'Default https://graph.facebook.com.',
	});

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.baseUrl.replace(/\\/+$/, "")}}/{{$credentials.graphApiVersion.replace(/^\\/+|\\/+$/g, "")}}',
			url: '=/{{$credentials.phoneNumberId}}',
			qs: { fields: 'id,display_phone_number,verified_name' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Meta rejected the access token (expired, revoked or mistyped): generate a new System User token in Meta Business Settings → Users → System users',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						'Meta does not know this Phone Number ID for this token: copy the Phone number ID from App Dashboard → WhatsApp → API Setup, and give the token access to that WhatsApp account',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The token lacks permission for this phone number: add whatsapp_business_messaging and whatsapp_business_management to the System User token',
				},
			},
		],
	};
}
