import type {
	IDataObject,
	INodeProperties,
	INodePropertyOptions,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { ChatChannel } from '../chatReference';
import { optionsCollection } from '../optionsCollection';
import { freshWebhookCredentials, webhookCredentials } from '../webhookCredentials';
import { webhookRawBody } from '../webhookRawBody';
import { withCardNumbersMasked } from './cardNumbers';
import type { MetaCredentialData } from './credentialFields';
import { collectTurns, turnOptions } from './chatTurns';
import { claimEventsAcrossHosts } from './crossHostDedupe';
import { DASHBOARD_TEST_LOG } from './dashboardTest';
import { claimUnseenKeys, forgetSeenKeys } from './dedupe';
import type { InboundEvent, InboundEventKind, NormaliseOptions, NormaliseResult } from './inboundEvents';
import { answerVerificationRequest, verifyMetaSignature } from './signature';

/** What differs between the WhatsApp and the Instagram trigger; everything else is shared here. */
export interface MetaChannel {
	channel: ChatChannel;
	label: string;
	credentialName: string;
	normalise: (body: unknown, options: NormaliseOptions) => NormaliseResult;
	optionalEvents: INodePropertyOptions[];
	accountFilterLabel: string;
	setupSteps: string;
}

/** GET for Meta's verification handshake and POST for events, on the same production URL. */
// `noData`: Meta only needs a quick 200 once the run has started; without it n8n answers a literal text.
export const META_TRIGGER_WEBHOOKS: IWebhookDescription[] = [
	{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' },
	{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' },
];

/**
 * "Combine Quick Messages Within (Seconds)" when the option is not set: off in version 1 (as it always was), 3 s from
 * version 2 on, long enough for a customer's "hi" / "deluxe room" / "june 20-23" to become one turn.
 */
export function defaultCombineSeconds(typeVersion: number): number {
	return typeVersion >= 2 ? 3 : 0;
}

export function metaTriggerProperties(channel: MetaChannel): INodeProperties[] {
	return [
		{
			displayName: channel.setupSteps,
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		optionsCollection(
			[
				{
					displayName: 'Also Emit',
					name: 'include',
					type: 'multiOptions',
					options: channel.optionalEvents,
					default: [],
					description: 'Events other than customer messages to start the workflow with. By default only messages do.',
				},
				{
					displayName: channel.accountFilterLabel,
					name: 'accountIds',
					type: 'string',
					default: '',
					placeholder: 'e.g. 106540352242922, 106540352242923',
					description:
						'Comma-separated. Only events for these accounts start the workflow, so several numbers or accounts can share one Meta app callback. Empty = all.',
				},
				// One option per node version: its default (also what an unset option means) changed in version 2.
				...[1, 2].map((version): INodeProperties => ({
					displayName: 'Combine Quick Messages Within (Seconds)',
					name: 'combineWithinSeconds',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 30, numberPrecision: 1 },
					default: defaultCombineSeconds(version),
					description:
						'Messages of one chat that follow each other within this many seconds start one run together, as one turn (text joined by line breaks, every message in "messages"). Meta still gets its answer at once. 0 = every message starts its own run. A turn is answered at the latest 4× this long after its first message.',
					displayOptions: { show: { '@version': version === 1 ? [1] : [{ _cnd: { gte: 2 } }] } },
				})),
				{
					displayName: 'Ignore Redeliveries',
					name: 'deduplicate',
					type: 'boolean',
					default: true,
					description:
						"Whether a message Meta delivers again (same message ID) is ignored. IDs are kept for 7 days (at most 5000) in memory and in a file under the n8n user folder, so this holds across restarts. In queue mode each ID is also claimed in n8n's own Redis, so of several webhook hosts only one starts the run.",
				},
			],
		),
	];
}

const REJECTION_TEXT: Record<string, string> = {
	'missing-signature': 'missing X-Hub-Signature-256 header',
	'malformed-signature': 'X-Hub-Signature-256 is not of the form sha256=<hex>',
	'bad-signature': 'signature does not match: check the App Secret in the credential (App Dashboard → App settings → Basic)',
	'no-raw-body': 'request body unavailable for signature check',
	'no-app-secret': 'the credential has no App Secret',
};

function respond(this: IWebhookFunctions, status: number, body: IDataObject | string, contentType?: string): IWebhookResponseData {
	const res = this.getResponseObject();
	res.status(status);
	if (contentType) res.setHeader('Content-Type', contentType);
	if (typeof body === 'string') res.send(body);
	else res.json(body);
	return { noWebhookResponse: true };
}

function parseCsv(value: unknown): Set<string> {
	return new Set(
		String(value ?? '')
			.split(',')
			.map((s) => s.trim())
			.filter((s) => s !== ''),
	);
}

/** The item a trigger emits for one inbound event. */
export function toItemJson(event: InboundEvent): IDataObject {
	const json: Partial<InboundEvent> = { ...event };
	delete json.dedupeKey; // internal: how redeliveries are recognised
	return json as IDataObject;
}

/** Shared webhook handler of both Meta triggers. Makes no network call. */
export async function handleMetaWebhook(this: IWebhookFunctions, channel: MetaChannel): Promise<IWebhookResponseData> {
	// Remembered for a few seconds (webhookCredentials.ts); a failed check is repeated with the credential as it is now.
	const remembered = await webhookCredentials<MetaCredentialData>(this, channel.credentialName);
	let credentials = remembered.data;
	const current = async () => (remembered.fresh ? undefined : (credentials = await freshWebhookCredentials<MetaCredentialData>(this, channel.credentialName)));
	const req = this.getRequestObject();

	if (this.getWebhookName() === 'setup') {
		const query = this.getQueryData() as IDataObject;
		let answer = answerVerificationRequest(query, credentials.verifyToken);
		if (answer.status !== 200 && (await current())) answer = answerVerificationRequest(query, credentials.verifyToken);
		if (answer.status === 200) return respond.call(this, 200, answer.challenge, 'text/plain; charset=utf-8');
		this.logger.warn(`${channel.label} Trigger: refused a verification request (wrong verify token or not hub.mode=subscribe)`);
		return respond.call(this, 403, 'Forbidden: the verify token does not match the one in the n8n credential', 'text/plain; charset=utf-8');
	}

	const reading = await webhookRawBody.call(this);
	if (!reading.ok) {
		this.logger.warn(`${channel.label} Trigger: rejected a webhook, ${reading.error}`);
		return respond.call(this, reading.status, { error: reading.error });
	}
	let check = verifyMetaSignature(reading.rawBody, req.headers['x-hub-signature-256'], credentials.appSecret);
	if (!check.valid && (await current())) check = verifyMetaSignature(reading.rawBody, req.headers['x-hub-signature-256'], credentials.appSecret);
	if (!check.valid) {
		this.logger.warn(`${channel.label} Trigger: rejected a webhook, ${REJECTION_TEXT[check.reason]}`);
		return respond.call(this, 401, { error: 'invalid signature' });
	}

	let body: unknown;
	try {
		body = JSON.parse((reading.rawBody as Buffer).toString('utf8'));
	} catch {
		return respond.call(this, 400, { error: 'body is not JSON' });
	}

	const options = this.getNodeParameter('options', {}) as IDataObject;
	const normalised = channel.normalise(body, {
		include: new Set((options.include as Array<Exclude<InboundEventKind, 'message'>>) ?? []),
		accountIds: parseCsv(options.accountIds),
	});
	if (!normalised.recognised) {
		// Well signed but not for us: answer 200 so Meta does not retry it for days.
		this.logger.info(`${channel.label} Trigger: ignored a webhook (${normalised.reason})`);
		return respond.call(this, 200, { received: true, events: 0 });
	}
	if (normalised.dashboardTests) this.logger.info(`${channel.label} Trigger: ${DASHBOARD_TEST_LOG}`);

	let events = normalised.events;
	// Seen ids and open turns belong to this trigger node of this workflow.
	const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
	if (options.deduplicate !== false && events.length > 0) {
		const logger = this.logger;
		const unseen = claimUnseenKeys(scope, events.map((e) => e.dedupeKey), {
			onStoreError: (error) =>
				logger.warn(`${channel.label} Trigger: could not save seen message ids (${error.message}); redeliveries are still recognised until n8n restarts`),
		});
		events = events.filter((e) => unseen.delete(e.dedupeKey));
		// Queue mode: another webhook host may have the same message at this very moment.
		const crossHost = await claimEventsAcrossHosts(this.logger, channel.label, scope, events);
		const newHere = events.map((e) => e.dedupeKey);
		if (crossHost.copyInFlightElsewhere) {
			crossHost.settle(false);
			forgetSeenKeys(scope, newHere); // Meta's retry must get through, here or elsewhere
			return respond.call(this, 503, { error: 'another n8n webhook host is starting a copy of this delivery; Meta retries it' });
		}
		events = crossHost.events;
		if (crossHost.shared && events.length > 0) {
			// n8n answers once the run is queued: a 2xx then means it is; anything else means no run started here.
			const res = this.getResponseObject();
			res.once('finish', () => {
				const queued = res.statusCode >= 200 && res.statusCode < 300;
				crossHost.settle(queued);
				if (!queued) forgetSeenKeys(scope, newHere);
			});
		}
	}
	if (events.length === 0) return respond.call(this, 200, { received: true, events: 0 });
	events = events.map(withCardNumbersMasked);

	// The editor's "listen for test event" wants the message at once.
	const quietSeconds = this.getMode() === 'manual' ? 0 : Number(options.combineWithinSeconds ?? defaultCombineSeconds(this.getNode().typeVersion));
	if (quietSeconds > 0 && events.some((event) => event.event === 'message')) {
		// Meta gets its 200 now; the run starts when the chat has been quiet (see chatTurns.ts).
		this.getResponseObject().status(200).end();
		const emitted = await collectTurns(scope, events, turnOptions(quietSeconds));
		if (emitted.length === 0) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [emitted.map((event) => ({ json: toItemJson(event) }))] };
	}

	return { workflowData: [events.map((event) => ({ json: toItemJson(event) }))] };
}
