/** One item's send: build the message (and the 24-hour fallback), deliver it with retries, report or explain. */
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { cancellableSleep } from '../shared/cancellableSleep';
import { CHAT_REF_FIELD, makeChatReference } from '../shared/chatReference';
import { buildWindowFallback, canFallBackToTemplate } from '../shared/graph/customerServiceWindow';
import type { InstagramSendPath } from '../shared/graph/endpoints';
import { messagesPath } from '../shared/graph/endpoints';
import type { SendFailure } from '../shared/graph/errors';
import { describeFailure } from '../shared/graph/explainFailure';
import { buildInstagramMessage } from '../shared/graph/instagramMessages';
import type { BuiltMessage } from '../shared/graph/messages';
import { retryPolicyFrom } from '../shared/graph/retry';
import type { GraphHttpResponse } from '../shared/graph/send';
import { deliverMessage } from '../shared/graph/send';
import { buildWhatsAppMessage } from '../shared/graph/whatsappMessages';
import { graphApiRoot } from '../shared/meta/credentialFields';
import { assertTurnStillOurs, endChatTurn } from '../shared/turns/turnRun';
import { parameterText, readMessageSpec, readWindowFallback } from './parameters';
import type { Target } from './target';
import { CHANNEL_CREDENTIALS, CHANNEL_NAMES, resolveTarget } from './target';

/** Request timeout. A timed-out send is never retried (Meta may have delivered it), see graph/send.ts. */
const REQUEST_TIMEOUT_MS = 60_000;

function buildMessages(
	ctx: IExecuteFunctions,
	target: Target,
	itemIndex: number,
	options: IDataObject,
): { message: BuiltMessage; fallback?: BuiltMessage } {
	const spec = readMessageSpec(ctx, itemIndex, options);
	const address = { to: target.recipient, replyToMessageId: parameterText(options.replyToMessageId) };
	const message =
		target.channel === 'whatsapp' ? buildWhatsAppMessage(spec, address) : buildInstagramMessage(spec, target.recipient);
	const fallbackSpec = canFallBackToTemplate(target.channel, spec.kind) ? readWindowFallback(ctx, itemIndex) : undefined;
	return fallbackSpec ? { message, fallback: buildWindowFallback(fallbackSpec, address) } : { message };
}

/** Meta's own answer for the error details, next to the plain-words message. */
function errorResponseOf(failure: SendFailure, message: string): JsonObject {
	if (failure.type !== 'graph') return { message, attempts: failure.attempts };
	return {
		message: failure.info.message ?? message,
		httpStatus: failure.info.httpStatus,
		code: failure.info.code ?? null,
		subcode: failure.info.subcode ?? null,
		fbtrace_id: failure.info.fbtraceId ?? null,
		attempts: failure.attempts,
	};
}

export async function sendForItem(ctx: IExecuteFunctions, itemIndex: number, json: IDataObject): Promise<IDataObject> {
	const target = await resolveTarget(ctx, json, itemIndex);
	const chat = makeChatReference(target.channel, target.senderAccountId, target.recipient);
	let sent = false;
	try {
		await assertTurnStillOurs(ctx, itemIndex);
		const output = await deliverTo(ctx, itemIndex, target);
		sent = true;
		return output;
	} finally {
		// The chat's turn ends with its answer, sent or failed for good (see shared/turns/).
		await endChatTurn(ctx, chat, sent);
	}
}

async function deliverTo(ctx: IExecuteFunctions, itemIndex: number, target: Target): Promise<IDataObject> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { message, fallback } = buildMessages(ctx, target, itemIndex, options);
	const policy = retryPolicyFrom(ctx.getNodeParameter('retry', itemIndex, {}) as IDataObject);
	const credential = CHANNEL_CREDENTIALS[target.channel];
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
			sleep: async (ms) => await cancellableSleep(ms, ctx.getExecutionCancelSignal()),
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
		throw new NodeApiError(ctx.getNode(), errorResponseOf(result.failure, explained.message), {
			message: explained.message,
			description: explained.description,
			httpCode: explained.httpCode,
			itemIndex,
		});
	}

	return {
		messageId: result.messageId,
		channel: target.channel,
		recipient: target.recipient,
		kind: result.kind,
		fallbackUsed: result.fallbackUsed,
		[CHAT_REF_FIELD]: { ...makeChatReference(target.channel, target.senderAccountId, target.recipient) },
	};
}
