/**
 * Meta Graph API stand-in for the sandbox: the WhatsApp Cloud API and Instagram Messaging send
 * endpoints, the node look-ups that credential tests make, and error injection in Meta's shapes.
 * Listens on 127.0.0.1 only and never sends anything anywhere.
 *
 *   const sim = await startGraphSim({ accessTokens: ['EAAG-test'] });
 *   // point the node's Graph base URL at sim.url, e.g. `${sim.url}/v26.0/<phone-number-id>/messages`
 *   sim.failNext(sim.errors.throttled());
 *   await sim.waitForSends(1);
 *   await sim.stop();
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { eventually } from '../../wait';
import { listenLoopback } from '../http';
import { answer } from './answer';
import { graphErrors, metaError } from './errors';
import { handleLookup } from './lookup';
import { readGraphRequest, sameUser } from './request';
import { handleSend } from './sendCall';
import { createGraphState, resetGraphState, type GraphState, type HoldGate } from './state';
import type { GraphSim, GraphSimOptions, SendHold } from './types';

async function route(state: GraphState, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const request = await readGraphRequest(state, req, res);
	const { method } = request.record;
	const segments = request.segments;
	if (method === 'POST' && segments.length === 2 && segments[1] === 'messages') return handleSend(state, request, segments[0], res);
	if (method === 'GET' && segments.length === 1) return handleLookup(state, request, segments[0], res);
	return answer(state, res, metaError({ code: 2500, message: `Unknown path components: ${request.record.path}` }));
}

function holdSends(state: GraphState): SendHold {
	let open = () => {};
	const gate = new Promise<void>((resolve) => {
		open = () => resolve();
	});
	const current: HoldGate = { gate, open, held: 0 };
	state.hold = current;
	return {
		held: () => current.held,
		waitForHeld: (n, o = {}) =>
			eventually(`${n} held send call(s)`, () => current.held >= n, {
				timeoutMs: o.timeoutMs ?? 30_000,
				intervalMs: 20,
				describe: () => `got ${current.held}`,
			}).then(() => undefined),
		release: () => {
			if (state.hold === current) state.hold = null;
			current.open();
		},
	};
}

/** Starts the Graph API simulator on 127.0.0.1. */
export async function startGraphSim(options: GraphSimOptions): Promise<GraphSim> {
	if (!options || !Array.isArray(options.accessTokens)) throw new Error('startGraphSim: accessTokens (string[]) is required');
	const state = createGraphState(options);
	const { sent, attempts } = state;
	const listening = await listenLoopback((req, res) => route(state, req, res), options.port ?? 0);
	return {
		url: listening.url,
		port: listening.port,
		stop: listening.stop,
		sent,
		attempts,
		requests: state.requests,
		sentTo: (userId) => sent.filter((s) => sameUser(s, userId)),
		waitForSends: async (n, opts = {}) => {
			const { to } = opts;
			const pick = () => (to === undefined ? sent.slice() : sent.filter((s) => sameUser(s, to)));
			await eventually(`${n} accepted send(s)${to !== undefined ? ` to ${to}` : ''}`, () => pick().length >= n, {
				timeoutMs: opts.timeoutMs ?? 5000,
				intervalMs: opts.intervalMs ?? 20,
				describe: () =>
					`got ${pick().length}; attempts: ${JSON.stringify(
						attempts.map((a) => ({ status: a.status, channel: a.channel, to: a.to, response: a.response })),
					)}`,
			});
			return pick();
		},
		failNext: (spec, count = 1) => {
			if (!spec || typeof spec.status !== 'number') throw new Error('failNext: { status } is required');
			for (let i = 0; i < count; i++) state.failures.push(spec);
		},
		pendingFailures: () => state.failures.length,
		failWhen: (rule) => {
			state.failRule = rule;
		},
		holdSends: () => holdSends(state),
		errors: graphErrors,
		setLatency: (ms) => {
			state.latencyMs = ms;
		},
		addAccessToken: (t) => {
			state.tokens.add(t);
		},
		revokeAccessToken: (t) => {
			state.tokens.delete(t);
		},
		whatsappNumbers: state.whatsappNumbers,
		instagramAccounts: state.instagramAccounts,
		onSend: (listener) => {
			state.sendListeners.add(listener);
			return () => {
				state.sendListeners.delete(listener);
			};
		},
		reset: () => resetGraphState(state),
	};
}
