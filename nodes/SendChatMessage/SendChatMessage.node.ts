import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError, sleep } from 'n8n-workflow';

import { CHAT_REF_FIELD, chatReferenceOf, isChatChannel, makeChatReference } from '../shared/chatReference';
import type { ChatChannel, ChatReference } from '../shared/chatReference';
import { graphApiRoot } from '../shared/meta/credentialFields';
import type { InstagramCredentialData, WhatsAppCredentialData } from '../shared/meta/credentialFields';
import { messagesPath } from '../shared/graph/endpoints';
import type { InstagramSendPath } from '../shared/graph/endpoints';
import { describeFailure } from '../shared/graph/errors';
import { buildInstagramMessage, normaliseInstagramRecipient } from '../shared/graph/instagramMessages';
import { MessageValidationError } from '../shared/graph/messages';
import type { BuiltMessage, MessageKind, MessageSpec } from '../shared/graph/messages';
import { retryPolicyFrom } from '../shared/graph/retry';
import { deliverMessage } from '../shared/graph/send';
import type { GraphHttpResponse } from '../shared/graph/send';
import {
	buildWhatsAppMessage,
	buildWhatsAppTemplate,
	normaliseWhatsAppRecipient,
} from '../shared/graph/whatsappMessages';

const CREDENTIALS = {
	whatsapp: { type: 'chatCheckoutWhatsAppApi', name: 'WhatsApp Cloud API', accountField: 'Phone Number ID' },
	instagram: { type: 'chatCheckoutInstagramApi', name: 'Instagram Messaging API', accountField: 'Instagram Account ID' },
} as const;

const CHANNEL_NAMES: Record<ChatChannel, string> = { whatsapp: 'WhatsApp', instagram: 'Instagram' };

/** Request timeout. A timed-out send is never retried (Meta may have delivered it), see graph/send.ts. */
const REQUEST_TIMEOUT_MS = 60_000;

const FREE_FORM_KINDS: MessageKind[] = ['text', 'link', 'buttons'];

const templateParameterCollection = (name: string, displayName: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Parameter',
	default: {},
	description,
	options: [
		{
			displayName: 'Parameter',
			name: 'parameter',
			values: [
				{
					displayName: 'Text',
					name: 'text',
					type: 'string',
					default: '',
					description: 'Value for the next {{n}} placeholder of the template body; no line breaks or tabs',
				},
			],
		},
	],
});

export class SendChatMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Send Chat Message',
		name: 'sendChatMessage',
		icon: { light: 'file:../../icons/chat.svg', dark: 'file:../../icons/chat.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "Send " + $parameter["messageType"] }}',
		description:
			'Reply on WhatsApp or Instagram: text, a payment link button, reply buttons or a WhatsApp template',
		defaults: { name: 'Send Chat Message' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Neither credential is required: with "Reply to the Chat on the Item" the node needs only the credentials
		// of the channels its items come from, and names the missing one when an item needs it. In "Set
		// Explicitly" mode only the chosen channel's credential is shown. (`channel` is dropped from the
		// parameters while hidden, so both show in "Reply to the Chat on the Item" mode.)
		credentials: [
			{ name: 'chatCheckoutWhatsAppApi', required: false, displayOptions: { hide: { channel: ['instagram'] } } },
			{ name: 'chatCheckoutInstagramApi', required: false, displayOptions: { hide: { channel: ['whatsapp'] } } },
		],
		properties: [
			{
				displayName: 'Send To',
				name: 'destination',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Reply to the Chat on the Item',
						value: 'chatRef',
						description:
							'Answers the chat in the item\'s chatRef, set by the WhatsApp/Instagram Trigger, Create Stripe Checkout and Stripe Webhook Verify',
					},
					{
						name: 'Set Explicitly',
						value: 'explicit',
						description: 'Choose the channel and type the recipient ID',
					},
				],
				default: 'chatRef',
			},
			{
				displayName: 'Channel',
				name: 'channel',
				type: 'options',
				options: [
					{ name: 'Instagram', value: 'instagram' },
					{ name: 'WhatsApp', value: 'whatsapp' },
				],
				default: 'whatsapp',
				displayOptions: { show: { destination: ['explicit'] } },
			},
			{
				displayName: 'Recipient ID',
				name: 'recipientId',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 4915112345678',
				description:
					'WhatsApp: the customer\'s wa_id (phone number with country code, digits only). Instagram: the customer\'s Instagram-scoped ID (IGSID). The message is sent from the account in the selected credential.',
				displayOptions: { show: { destination: ['explicit'] } },
			},
			{
				displayName: 'Message Type',
				name: 'messageType',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Link Button',
						value: 'link',
						description:
							'Text with one button that opens a URL, e.g. the Stripe Checkout link (WhatsApp CTA URL button, Instagram button template)',
					},
					{
						name: 'Reply Buttons',
						value: 'buttons',
						description: 'Text with 1–3 tappable answers (WhatsApp reply buttons, Instagram quick replies)',
					},
					{
						name: 'Template (WhatsApp Only)',
						value: 'template',
						description: 'An approved template: the only thing WhatsApp delivers more than 24 h after the customer last wrote',
					},
					{ name: 'Text', value: 'text', description: 'A plain text message' },
				],
				default: 'text',
			},
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				typeOptions: { rows: 3 },
				required: true,
				default: '',
				description:
					'Message text. Limits: WhatsApp 4096 characters (1024 with buttons), Instagram 1000 bytes (640 characters with a link button).',
				displayOptions: { show: { messageType: ['text', 'link', 'buttons'] } },
			},
			{
				displayName: 'URL',
				name: 'url',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'https://checkout.stripe.com/c/pay/…',
				description: 'The http(s) link the button opens',
				hint: 'After Create Stripe Checkout: {{ $json.url }}',
				displayOptions: { show: { messageType: ['link'] } },
			},
			{
				displayName: 'Send as Plain Text + URL Instead',
				name: 'linkAsPlainText',
				type: 'boolean',
				default: false,
				description:
					'Whether to send the text followed by the URL as a plain text message instead of a button (for customers whose app does not show buttons, e.g. Instagram on the web)',
				displayOptions: { show: { messageType: ['link'] } },
			},
			{
				displayName: 'Button Label',
				name: 'buttonLabel',
				type: 'string',
				required: true,
				default: 'Pay now',
				description: 'Text on the button, at most 20 characters',
				displayOptions: { show: { messageType: ['link'], linkAsPlainText: [false] } },
			},
			{
				displayName: 'Buttons',
				name: 'buttons',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Button',
				default: {},
				description: '1 to 3 answers the customer can tap',
				displayOptions: { show: { messageType: ['buttons'] } },
				options: [
					{
						displayName: 'Button',
						name: 'button',
						values: [
							{
								displayName: 'Title',
								name: 'title',
								type: 'string',
								default: '',
								description: 'What the button shows and what the customer sends back, at most 20 characters',
							},
							{
								displayName: 'ID',
								name: 'id',
								type: 'string',
								default: '',
								description:
									'What your workflow receives when it is tapped (WhatsApp reply ID ≤256 characters, Instagram quick-reply payload). Empty: the title.',
							},
						],
					},
				],
			},
			{
				displayName: 'Template Name',
				name: 'templateName',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. order_payment_link',
				description: 'Name of a template approved in WhatsApp Manager → Message templates',
				displayOptions: { show: { messageType: ['template'] } },
			},
			{
				displayName: 'Template Language',
				name: 'templateLanguage',
				type: 'string',
				required: true,
				default: 'en_US',
				description: 'Language code of the approved template, e.g. en_US, de, pt_BR',
				displayOptions: { show: { messageType: ['template'] } },
			},
			{
				...templateParameterCollection(
					'templateParameters',
					'Template Parameters',
					'Values for the template body\'s {{1}}, {{2}}, … in order (at most 20, none empty)',
				),
				default: {},
				displayOptions: { show: { messageType: ['template'] } },
			},
			{
				displayName: 'Send Template When 24-Hour Window Is Closed',
				name: 'windowClosedFallback',
				type: 'boolean',
				default: false,
				description:
					'Whether to send an approved template instead when WhatsApp refuses the message because the customer last wrote more than 24 h ago (error 131047). WhatsApp only; Instagram has no templates.',
				displayOptions: {
					show: { messageType: ['text', 'link', 'buttons'] },
					hide: { channel: ['instagram'] },
				},
			},
			{
				displayName: 'Fallback Template Name',
				name: 'fallbackTemplateName',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. order_follow_up',
				description: 'Name of a template approved in WhatsApp Manager → Message templates',
				displayOptions: { show: { windowClosedFallback: [true], messageType: ['text', 'link', 'buttons'] } },
			},
			{
				displayName: 'Fallback Template Language',
				name: 'fallbackTemplateLanguage',
				type: 'string',
				required: true,
				default: 'en_US',
				description: 'Language code of the approved template, e.g. en_US, de, pt_BR',
				displayOptions: { show: { windowClosedFallback: [true], messageType: ['text', 'link', 'buttons'] } },
			},
			{
				...templateParameterCollection(
					'fallbackTemplateParameters',
					'Fallback Template Parameters',
					'Values for the fallback template body\'s {{1}}, {{2}}, … in order (at most 20, none empty)',
				),
				default: {},
				displayOptions: { show: { windowClosedFallback: [true], messageType: ['text', 'link', 'buttons'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Instagram Send Path',
						name: 'instagramSendPath',
						type: 'options',
						options: [
							{
								name: 'Auto (From the Credential\'s Base URL)',
								value: 'auto',
								description: 'Me path on graph.facebook.com, account ID path elsewhere',
							},
							{
								name: 'Account ID Path (Instagram Login)',
								value: 'accountId',
								description: 'POST /{Instagram account ID}/messages',
							},
							{
								name: 'Me Path (Facebook Login, Page Token)',
								value: 'me',
								description: 'POST /me/messages',
							},
						],
						default: 'auto',
						description: 'Which Instagram send endpoint to call; change it only when a proxy hides which host is behind the Base URL',
					},
					{
						displayName: 'Link Preview (WhatsApp)',
						name: 'previewUrl',
						type: 'boolean',
						default: false,
						description: 'Whether WhatsApp shows a preview of the first link in a text message',
					},
					{
						displayName: 'Reply To Message ID',
						name: 'replyToMessageId',
						type: 'string',
						default: '',
						placeholder: 'e.g. wamid.HBgM…',
						description:
							'WhatsApp only: the wamid of the customer\'s message to quote. Ignored for Instagram chats.',
						hint: 'Straight after the WhatsApp Trigger: {{ $json.messageId }}',
					},
				],
			},
			{
				displayName: 'Retry on Throttling',
				name: 'retry',
				type: 'collection',
				placeholder: 'Add Retry Setting',
				default: {},
				description:
					'When Meta throttles (130429, 131056, codes 4/17/32/613, HTTP 429) or fails with HTTP 500/502/503, the message is retried with exponential backoff and jitter. It is never retried when Meta may already have delivered it.',
				options: [
					{
						displayName: 'Max Retries',
						name: 'maxRetries',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 10 },
						default: 3,
						description: 'Retries after the first attempt',
					},
					{
						displayName: 'Backoff Base (Ms)',
						name: 'baseDelayMs',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 1000,
						description: 'Retry n waits a random time between 0 and base × 2^n milliseconds (unless Meta says how long)',
					},
					{
						displayName: 'Max Wait (Ms)',
						name: 'maxDelayMs',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 30000,
						description:
							'Longest single wait. When Meta asks (Retry-After) for a longer one, the item fails at once instead.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const json = await sendForItem(this, items[itemIndex].json, itemIndex);
				returnData.push({ json, pairedItem: { item: itemIndex } });
			} catch (error) {
				const nodeError =
					error instanceof NodeApiError || error instanceof NodeOperationError
						? error
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				if (nodeError.context.itemIndex === undefined) nodeError.context.itemIndex = itemIndex;
				if (this.continueOnFail()) {
					const json: IDataObject = { error: nodeError.message };
					if (nodeError.description) json.description = nodeError.description;
					const chatRef = chatReferenceOf(items[itemIndex].json);
					if (chatRef) json[CHAT_REF_FIELD] = { ...chatRef };
					// `error` on the item is what routes it to the error output under "On Error: Continue (using error output)".
					returnData.push({ json, error: nodeError, pairedItem: { item: itemIndex } });
					continue;
				}
				throw nodeError;
			}
		}
		return [returnData];
	}
}

interface Target {
	channel: ChatChannel;
	recipient: string;
	/** The account that sends: chatRef.accountId when replying, the credential's account otherwise. */
	senderAccountId: string;
	credentialAccountId: string;
	credentials: WhatsAppCredentialData | InstagramCredentialData;
}

/** Runs a message builder; a broken Meta limit becomes an item error naming the field. */
function checked<T>(ctx: IExecuteFunctions, itemIndex: number, build: () => T): T {
	try {
		return build();
	} catch (error) {
		if (error instanceof MessageValidationError) {
			throw new NodeOperationError(ctx.getNode(), error.message, {
				itemIndex,
				description: `Field: "${error.field}". Checked before sending, so nothing was sent.`,
			});
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

function asString(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}

async function resolveTarget(ctx: IExecuteFunctions, json: IDataObject, itemIndex: number): Promise<Target> {
	const destination = ctx.getNodeParameter('destination', itemIndex, 'chatRef') as string;
	let channel: ChatChannel;
	let ref: ChatReference | undefined;
	let recipient = '';
	if (destination === 'explicit') {
		const chosen = asString(ctx.getNodeParameter('channel', itemIndex, 'whatsapp')).trim().toLowerCase();
		if (!isChatChannel(chosen)) {
			throw new NodeOperationError(ctx.getNode(), `"Channel" must be whatsapp or instagram, not "${chosen}"`, {
				itemIndex,
				description: 'Field: "Channel". Checked before sending, so nothing was sent.',
			});
		}
		channel = chosen;
		const raw = asString(ctx.getNodeParameter('recipientId', itemIndex, ''));
		recipient = checked(ctx, itemIndex, () =>
			channel === 'whatsapp' ? normaliseWhatsAppRecipient(raw) : normaliseInstagramRecipient(raw),
		);
	} else {
		ref = chatReferenceOf(json);
		if (!ref) {
			const present = json[CHAT_REF_FIELD] !== undefined && json[CHAT_REF_FIELD] !== null;
			throw new NodeOperationError(
				ctx.getNode(),
				present
					? `The item's "${CHAT_REF_FIELD}" field is not a valid chat reference`
					: `The item has no chat reference ("${CHAT_REF_FIELD}" field), so there is no chat to reply to`,
				{
					itemIndex,
					description: `"Reply to the Chat on the Item" needs json.${CHAT_REF_FIELD} = { channel: "whatsapp" | "instagram", accountId, userId }. Put the WhatsApp Trigger, Instagram Trigger, Create Stripe Checkout or Stripe Webhook Verify node before this one (they all set it and keep it), make sure nodes in between keep the field, or set "Send To" to "Set Explicitly".`,
				},
			);
		}
		channel = ref.channel;
		recipient = ref.userId;
	}

	const credential = CREDENTIALS[channel];
	if (!ctx.getNode().credentials?.[credential.type]) {
		throw new NodeOperationError(
			ctx.getNode(),
			`This item's chat is on ${CHANNEL_NAMES[channel]}, but no ${credential.name} credential is selected on this node`,
			{
				itemIndex,
				description: `Open the node and select a "${credential.name}" credential (type ${credential.type}). A node only needs the credentials of the channels its items come from.`,
			},
		);
	}
	const credentials = (await ctx.getCredentials(credential.type, itemIndex)) as unknown as
		| WhatsAppCredentialData
		| InstagramCredentialData;
	const credentialAccountId = asString(
		channel === 'whatsapp'
			? (credentials as WhatsAppCredentialData).phoneNumberId
			: (credentials as InstagramCredentialData).accountId,
	).trim();
	const senderAccountId = ref ? ref.accountId : credentialAccountId;
	if (senderAccountId === '') {
		throw new NodeOperationError(
			ctx.getNode(),
			`The ${credential.name} credential has no ${credential.accountField}`,
			{ itemIndex, description: `Fill in "${credential.accountField}" in the ${credential.name} credential.` },
		);
	}
	return { channel, recipient, senderAccountId, credentialAccountId, credentials };
}

function readTemplateParameters(ctx: IExecuteFunctions, name: string, itemIndex: number): string[] {
	const entries = ctx.getNodeParameter(`${name}.parameter`, itemIndex, []) as Array<{ text?: unknown }>;
	return entries.map((entry) => asString(entry.text));
}

function readSpec(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject): MessageSpec {
	const kind = ctx.getNodeParameter('messageType', itemIndex, 'text') as MessageKind;
	const text = () => asString(ctx.getNodeParameter('text', itemIndex, ''));
	switch (kind) {
		case 'link': {
			const asPlainText = ctx.getNodeParameter('linkAsPlainText', itemIndex, false) as boolean;
			return {
				kind,
				text: text(),
				url: asString(ctx.getNodeParameter('url', itemIndex, '')),
				label: asPlainText ? '' : asString(ctx.getNodeParameter('buttonLabel', itemIndex, '')),
				asPlainText,
			};
		}
		case 'buttons': {
			const buttons = ctx.getNodeParameter('buttons.button', itemIndex, []) as Array<{ title?: unknown; id?: unknown }>;
			return {
				kind,
				text: text(),
				buttons: buttons.map((button) => ({ title: asString(button.title), id: asString(button.id) })),
			};
		}
		case 'template':
			return {
				kind,
				name: asString(ctx.getNodeParameter('templateName', itemIndex, '')),
				language: asString(ctx.getNodeParameter('templateLanguage', itemIndex, '')),
				bodyParameters: readTemplateParameters(ctx, 'templateParameters', itemIndex),
			};
		default:
			return { kind: 'text', text: text(), previewUrl: options.previewUrl === true };
	}
}

function buildMessages(
	ctx: IExecuteFunctions,
	target: Target,
	itemIndex: number,
	options: IDataObject,
): { message: BuiltMessage; fallback?: BuiltMessage } {
	const spec = readSpec(ctx, itemIndex, options);
	const message = checked(ctx, itemIndex, () =>
		target.channel === 'whatsapp'
			? buildWhatsAppMessage(spec, { to: target.recipient, replyToMessageId: asString(options.replyToMessageId) })
			: buildInstagramMessage(spec, target.recipient),
	);

	const wantsFallback =
		target.channel === 'whatsapp' &&
		FREE_FORM_KINDS.includes(spec.kind) &&
		(ctx.getNodeParameter('windowClosedFallback', itemIndex, false) as boolean);
	if (!wantsFallback) return { message };
	const template = checked(ctx, itemIndex, () =>
		buildWhatsAppTemplate(
			{
				name: asString(ctx.getNodeParameter('fallbackTemplateName', itemIndex, '')),
				language: asString(ctx.getNodeParameter('fallbackTemplateLanguage', itemIndex, '')),
				bodyParameters: readTemplateParameters(ctx, 'fallbackTemplateParameters', itemIndex),
			},
			{
				name: 'Fallback Template Name',
				language: 'Fallback Template Language',
				parameters: 'Fallback Template Parameters',
			},
		),
	);
	const body: Record<string, unknown> = {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to: target.recipient,
		type: 'template',
		template,
	};
	const replyTo = asString(options.replyToMessageId).trim();
	if (replyTo !== '') body.context = { message_id: replyTo };
	return { message, fallback: { kind: 'template', body } };
}

async function sendForItem(ctx: IExecuteFunctions, json: IDataObject, itemIndex: number): Promise<IDataObject> {
	const target = await resolveTarget(ctx, json, itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { message, fallback } = buildMessages(ctx, target, itemIndex, options);
	const policy = retryPolicyFrom(ctx.getNodeParameter('retry', itemIndex, {}) as IDataObject);
	const credential = CREDENTIALS[target.channel];
	const url =
		graphApiRoot(target.credentials) +
		messagesPath(target.channel, target.senderAccountId, {
			baseUrl: target.credentials.baseUrl,
			instagramSendPath: (options.instagramSendPath as InstagramSendPath | undefined) ?? 'auto',
		});

	const send = async (body: Record<string, unknown>) =>
		(await ctx.helpers.httpRequestWithAuthentication.call(ctx, credential.type, {
			method: 'POST',
			url,
			body,
			json: true,
			returnFullResponse: true,
			// Every HTTP answer comes back as a response: the retry policy decides, and n8n's helper does not
			// resend on 401.
			ignoreHttpStatusErrors: true,
			timeout: REQUEST_TIMEOUT_MS,
		})) as GraphHttpResponse;

	const result = await deliverMessage({
		channel: target.channel,
		message,
		windowClosedFallback: fallback,
		send,
		policy,
		deps: {
			sleep: async (ms) => await sleep(ms, ctx.getExecutionCancelSignal()),
			onRetry: ({ attempt, delayMs, reason }) =>
				ctx.logger.debug(
					`Send Chat Message: ${CHANNEL_NAMES[target.channel]} send attempt ${attempt} was refused (${reason}); retrying in ${delayMs} ms`,
				),
		},
	});

	if (!result.ok) {
		const explained = describeFailure(result.failure, {
			channel: target.channel,
			credentialType: credential.type,
			credentialName: credential.name,
			senderAccountId: target.senderAccountId,
			credentialAccountId: target.credentialAccountId,
			duringFallback: result.duringFallback,
			maxDelayMs: policy.maxDelayMs,
		});
		const failure = result.failure;
		const errorResponse: JsonObject =
			failure.type === 'graph'
				? {
						message: failure.info.message ?? explained.message,
						httpStatus: failure.info.httpStatus,
						code: failure.info.code ?? null,
						subcode: failure.info.subcode ?? null,
						fbtrace_id: failure.info.fbtraceId ?? null,
						attempts: failure.attempts,
					}
				: { message: explained.message, attempts: failure.attempts };
		throw new NodeApiError(ctx.getNode(), errorResponse, {
			message: explained.message,
			description: explained.description,
			httpCode: explained.httpCode,
			itemIndex,
		});
	}

	const chatRef = makeChatReference(target.channel, target.senderAccountId, target.recipient);
	return {
		messageId: result.messageId,
		channel: target.channel,
		recipient: target.recipient,
		kind: result.kind,
		fallbackUsed: result.fallbackUsed,
		[CHAT_REF_FIELD]: { ...chatRef },
	};
}
