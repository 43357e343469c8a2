import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { chatReferenceOf } from '../shared/chatReference';
import { executionCustomData } from '../shared/executionCustomData';
import { cartOfMessage, decideCart } from '../shared/order/cartTurn';
import type { Product } from '../shared/order/catalog';
import { readCatalog } from '../shared/order/catalog';
import { todayIn } from '../shared/order/dates';
import type { ModelReading } from '../shared/order/modelReading';
import { NOTHING_READ, contentText, readModelAnswer } from '../shared/order/modelReading';
import type { Outcome, TurnDecision } from '../shared/order/orderTurn';
import { decideTurn } from '../shared/order/orderTurn';
import { readPendingOrder, serialisePendingOrder } from '../shared/order/pendingOrder';
import { buildOrderPrompt } from '../shared/order/prompt';
import type { ReplyTexts } from '../shared/order/replies';
import { checkoutText, composeReply, replyTexts } from '../shared/order/replies';
import { keepChatTurns } from '../shared/turns/turnRun';
import { DEFAULT_HUMAN_KEYWORDS } from './description';

/** The one thing the node needs of a LangChain chat model (n8n's model sub-nodes supply one). */
interface ChatModel {
	invoke(messages: Array<[string, string]>, options?: { signal?: AbortSignal }): Promise<unknown>;
}

const OUTPUT_INDEX: Record<Outcome, number> = { checkout: 0, reply: 1, cancel: 2, status: 3, subscription: 4, human: 5 };

/** "Human Keywords": a customer asking for a person is recognised without the model. */
function asksForPerson(text: string, keywords: string[]): boolean {
	const words = text.toLowerCase();
	return keywords.some((keyword) => new RegExp(`(^|[^\\p{L}\\p{N}])${keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'u').test(words));
}

/** A button we sent for choosing a product carries `product:<key>`: no model is needed to read a tap. */
function tappedProductKey(message: IDataObject, products: Product[]): string | null {
	const reply = message.reply as IDataObject | null | undefined;
	const payload = typeof reply?.payload === 'string' ? reply.payload : '';
	if (!payload.startsWith('product:')) return null;
	const key = payload.slice('product:'.length);
	return products.some((p) => p.key === key) ? key : null;
}

async function readWithModel(context: IExecuteFunctions, model: ChatModel, prompt: { system: string; user: string }): Promise<ModelReading> {
	const answer = await model.invoke(
		[
			['system', prompt.system],
			['human', prompt.user],
		],
		{ signal: context.getExecutionCancelSignal?.() },
	);
	return readModelAnswer(contentText(answer));
}

function outputJson(
	message: IDataObject,
	decision: TurnDecision,
	context: { texts: ReplyTexts; products: Product[]; orderForgotten: boolean; now: Date; catalogWarnings: string[] },
): IDataObject {
	const reply = decision.outcome === 'checkout' ? { text: checkoutText(decision, context.texts), buttons: [] } : composeReply(decision, context);
	const keepsLink = decision.outcome === 'reply';
	return {
		outcome: decision.outcome,
		intent: decision.intent,
		chatRef: (chatReferenceOf(message) ?? null) as IDataObject | null,
		messageId: typeof message.messageId === 'string' ? message.messageId : null,
		text: typeof message.text === 'string' ? message.text : '',
		reply: reply.text,
		buttons: reply.buttons,
		question: decision.question,
		problems: decision.problems.map((p) => p.kind),
		// The order for Stripe Checkout ("Line Items (JSON)" takes lineItemsJson) and for the orders table.
		order: decision.priced
			? ({ ...decision.priced, lineItemsJson: JSON.stringify(decision.priced.lineItems), email: decision.order.email ?? '' } as unknown as IDataObject)
			: null,
		pending: serialisePendingOrder(decision.order, context.now),
		// What the chat's row keeps as its open link after this turn (a checkout's new link is set by Stripe Checkout).
		sessionId: keepsLink ? (decision.order.sessionId ?? '') : '',
		checkoutUrl: keepsLink ? (decision.order.url ?? '') : '',
		replacesSessionId: decision.replacesSessionId,
		...(context.catalogWarnings.length > 0 ? { catalogWarnings: context.catalogWarnings } : {}),
	};
}

export async function executeReadChatOrder(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const turns = this.getInputData(0);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const catalogRows = this.getInputData(1).map((item) => item.json as Record<string, unknown>);
	const catalog = readCatalog(catalogRows, {
		maxPerOrder: Number(options.maxPerOrder ?? 10),
		maxNights: Number(options.maxNights ?? 30),
	});
	for (const warning of catalog.skipped) this.logger.warn(`Read Chat Order: catalog row skipped: ${warning}`);
	for (const warning of catalog.warnings) this.logger.warn(`Read Chat Order: catalog: ${warning}`);
	const texts = replyTexts((options.replyTexts as IDataObject | undefined) ?? {});
	const timeZone = (typeof options.timeZone === 'string' && options.timeZone) || this.getTimezone();
	const idleHours = Number(options.idleHours ?? 24);
	const outputs: INodeExecutionData[][] = [[], [], [], [], [], []];
	const humanKeywords = String(options.humanKeywords ?? DEFAULT_HUMAN_KEYWORDS)
		.split(',')
		.map((k) => k.trim().toLowerCase())
		.filter((k) => k !== '');
	let model: ChatModel | undefined;

	for (let itemIndex = 0; itemIndex < turns.length; itemIndex++) {
		let message: IDataObject = {};
		try {
			message = this.getNodeParameter('message', itemIndex, {}) as IDataObject;
			if (typeof message !== 'object' || message === null) {
				throw new NodeOperationError(this.getNode(), '"Customer Message" must be the trigger\'s item (an object with text and chatRef)', { itemIndex });
			}
			// This turn's run holds the chat (see shared/turns/chatTurnLease.ts) through the model call and what follows.
			await keepChatTurns(this, [message]);
			const now = new Date();
			const today = todayIn(timeZone, now);
			const { order: pending, expired } = readPendingOrder(
				this.getNodeParameter('pendingOrder', itemIndex, ''),
				{ sessionId: this.getNodeParameter('openSessionId', itemIndex, ''), url: this.getNodeParameter('openCheckoutUrl', itemIndex, '') },
				now,
				idleHours,
			);
			const tapped = tappedProductKey(message, catalog.products);
			const text = typeof message.text === 'string' ? message.text : '';
			// A WhatsApp catalog cart names its products exactly: no model is needed to read it.
			const cart = cartOfMessage(message);
			let reading: ModelReading = NOTHING_READ;
			if (tapped === null && cart === undefined && asksForPerson(text, humanKeywords)) {
				reading = { ...NOTHING_READ, intent: 'human' };
			} else if (tapped === null && cart === undefined && catalog.products.length > 0) {
				model ??= (await this.getInputConnectionData(NodeConnectionTypes.AiLanguageModel, 0)) as ChatModel | undefined;
				if (!model || typeof model.invoke !== 'function') {
					throw new NodeOperationError(this.getNode(), 'No chat model is connected', {
						description: 'Connect a chat model node (OpenAI Chat Model, Ollama Chat Model, …) to the "Chat Model" input below this node.',
					});
				}
				reading = await readWithModel(this, model, buildOrderPrompt({ today, products: catalog.products, pending, text }));
			}
			const decision = cart
				? decideCart({ cart, pending, products: catalog.products })
				: decideTurn({ reading, tappedProductKey: tapped, pending, products: catalog.products, today });
			const catalogWarnings = [...catalog.skipped, ...catalog.warnings];
			const json = outputJson(message, decision, { texts, products: catalog.products, orderForgotten: expired, now, catalogWarnings });
			if (reading.unreadable) this.logger.warn('Read Chat Order: the chat model answered something that is not a JSON object; the customer was asked again');
			const chat = chatReferenceOf(message);
			const customData = executionCustomData(this, itemIndex);
			if (chat) customData.setAll({ channel: chat.channel, customer: chat.userId });
			customData.set('outcome', decision.outcome);
			if (decision.product) customData.set('product', decision.product.key);
			outputs[OUTPUT_INDEX[decision.outcome]].push({ json, pairedItem: { item: itemIndex, input: 0 } });
		} catch (error) {
			const nodeError =
				error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), `The chat model failed: ${(error as Error).message}`, {
							itemIndex,
							description: 'Check the chat model node below this one (its credential, base URL and model name). The customer has not been answered.',
						});
			if (!this.continueOnFail()) throw nodeError;
			// Under "Continue (using error output)" n8n routes the item by `error`; chatRef lets the workflow apologise.
			outputs[OUTPUT_INDEX.reply].push({
				json: { error: nodeError.message, chatRef: (chatReferenceOf(message) ?? null) as IDataObject | null },
				error: nodeError,
				pairedItem: { item: itemIndex, input: 0 },
			});
		}
	}
	return outputs;
}
