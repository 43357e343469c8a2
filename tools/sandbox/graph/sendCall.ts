/** A call to `POST /:accountId/messages`: recorded, held, failed on demand, checked, then accepted as Meta would. */
import type { ServerResponse } from 'node:http';

import { randomId } from '../http';
import { answer } from './answer';
import { describeMessage } from './describeMessage';
import { graphErrors, metaError, missingToken, unknownObject } from './errors';
import type { GraphRequest } from './request';
import { findInstagramAccount, findNumber, type GraphState } from './state';
import type { AttemptRecord, FailSpec, GraphChannel, GraphJson, SendCall, SentMessage } from './types';
import { validateInstagram, validateWhatsApp } from './validate';

/** Which API a send is for: WhatsApp names its `messaging_product`; Instagram has a `recipient` (or posts to /me). */
function channelOf(body: GraphJson | null, accountId: string): GraphChannel | null {
	if (body && body.messaging_product !== undefined) return 'whatsapp';
	if (body && (body.recipient !== undefined || accountId === 'me')) return 'instagram';
	return null;
}

function recipientOf(body: GraphJson | null, channel: GraphChannel | null): string | null {
	if (body && channel === 'whatsapp' && typeof body.to === 'string') return body.to;
	if (body && channel === 'instagram' && body.recipient && body.recipient.id !== undefined) return String(body.recipient.id);
	return null;
}

/** Waits while sends are held; false when the client went away meanwhile (the call is then abandoned). */
async function passHold(state: GraphState, res: ServerResponse): Promise<boolean> {
	const current = state.hold;
	if (!current) return true;
	current.held += 1;
	// Before the answer, 'close' on the response means the client's connection went away.
	let clientGone = false;
	const gone = new Promise<void>((resolve) =>
		res.once('close', () => {
			clientGone = true;
			resolve();
		}),
	);
	await Promise.race([current.gate, gone]);
	current.held -= 1;
	return !(clientGone || !res.socket || res.socket.destroyed || res.socket.readableEnded);
}

/** The answer Meta gives a send it accepted, with the message id it made up (none for read receipts and typing). */
function acceptance(body: GraphJson, channel: GraphChannel, to: string | null): { response: GraphJson; messageId: string | null } {
	if (channel === 'whatsapp') {
		if (body.status === 'read' || body.status === 'typing') return { response: { success: true }, messageId: null };
		const messageId = randomId('wamid.SIM', 40);
		const toStr = String(body.to);
		const msg: Record<string, unknown> = { id: messageId };
		if (body.type === 'template') msg.message_status = 'accepted';
		const response = { messaging_product: 'whatsapp', contacts: [{ input: toStr, wa_id: toStr.replace(/[^\d]/g, '') || toStr }], messages: [msg] };
		return { response, messageId };
	}
	if (body.sender_action !== undefined) return { response: { recipient_id: to }, messageId: null };
	const messageId = randomId('m_SIM', 60);
	return { response: { recipient_id: to, message_id: messageId }, messageId };
}

/** Meta's checks of a readable send: the account it is sent from, then the message. */
function rejection(state: GraphState, channel: GraphChannel, accountId: string, body: GraphJson): FailSpec | null {
	const acceptUnknown = state.options.acceptUnknownAccounts === true;
	const unknownAccount =
		channel === 'whatsapp'
			? accountId === 'me' || (!findNumber(state, accountId) && !acceptUnknown)
			: !findInstagramAccount(state, accountId) && !acceptUnknown;
	if (unknownAccount) return unknownObject(accountId, 'post');
	return channel === 'whatsapp' ? validateWhatsApp(body) : validateInstagram(body);
}

function accept(state: GraphState, call: SendCall & { channel: GraphChannel; body: GraphJson }): SentMessage {
	const { response, messageId } = acceptance(call.body, call.channel, call.to);
	const accepted: SentMessage = { ...call, messageId, ...describeMessage(call.body, call.channel), response };
	state.sent.push(accepted);
	for (const listener of state.sendListeners) {
		try {
			listener(accepted);
		} catch {
			/* a listener's failure is its own; the send was accepted */
		}
	}
	return accepted;
}

export async function handleSend(state: GraphState, request: GraphRequest, accountId: string, res: ServerResponse): Promise<void> {
	const { record, body } = request;
	const channel = channelOf(body, accountId);
	const call: SendCall = {
		at: record.at,
		method: record.method,
		path: record.path,
		version: request.version,
		accountId,
		channel,
		to: recipientOf(body, channel),
		body,
		headers: record.headers,
	};
	const attempt: AttemptRecord = { ...call, status: 0, response: null, injected: false };
	state.attempts.push(attempt);
	const finish = async (spec: FailSpec, injected: boolean) => {
		attempt.status = spec.status;
		attempt.response = spec.body;
		attempt.injected = injected;
		await answer(state, res, spec);
	};

	if (!request.tokenOk) return finish(request.token ? graphErrors.invalidToken() : missingToken(), false);
	if (!(await passHold(state, res))) {
		attempt.abandoned = true;
		return;
	}
	const injected = state.failures.shift();
	if (injected) return finish(injected, true);
	const callKey = `${accountId}\u0000${record.rawBody}`;
	const earlier = state.callCounts.get(callKey) ?? 0;
	state.callCounts.set(callKey, earlier + 1);
	const ruled = state.failRule ? state.failRule({ channel, to: call.to, accountId, body, attempt: earlier }) : undefined;
	if (ruled) return finish(ruled, true);
	if (!body) return finish(metaError({ code: 100, message: '(#100) Request body is not valid JSON' }), false);
	if (!channel) return finish(metaError({ code: 100, message: '(#100) The parameter messaging_product is required.' }), false);
	const problem = rejection(state, channel, accountId, body);
	if (problem) return finish(problem, false);
	const accepted = accept(state, { ...call, channel, body });
	return finish({ status: 200, body: accepted.response }, false);
}
