/** What one Graph simulator knows and has seen: accounts, tokens, records, and the failures queued for it. */
import type {
	AttemptRecord,
	FailRule,
	FailSpec,
	GraphSimOptions,
	InstagramAccount,
	RequestRecord,
	SentMessage,
	WhatsAppNumber,
} from './types';

export const DEFAULT_API_VERSION = 'v26.0';

/** Send calls waiting at the gate of `holdSends` until it opens. */
export interface HoldGate {
	gate: Promise<void>;
	open: () => void;
	held: number;
}

export interface GraphState {
	options: GraphSimOptions;
	tokens: Set<string>;
	apiVersion: string;
	latencyMs: number;
	whatsappNumbers: WhatsAppNumber[];
	instagramAccounts: InstagramAccount[];
	sent: SentMessage[];
	attempts: AttemptRecord[];
	requests: RequestRecord[];
	/** Answers queued by failNext, first first. */
	failures: FailSpec[];
	failRule: FailRule | null;
	/** Identical send calls seen so far, for FailRule's `attempt`. */
	callCounts: Map<string, number>;
	hold: HoldGate | null;
	sendListeners: Set<(send: SentMessage) => void>;
}

export function createGraphState(options: GraphSimOptions): GraphState {
	return {
		options,
		tokens: new Set(options.accessTokens),
		apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
		latencyMs: options.latencyMs ?? 0,
		whatsappNumbers: (
			options.whatsappNumbers ?? [
				{ id: '100000000000001', display_phone_number: '+1 555-010-0001', verified_name: 'Sandbox Shop', quality_rating: 'GREEN' },
			]
		).map((n) => ({ ...n })),
		instagramAccounts: (
			options.instagramAccounts ?? [{ id: '17841400000000001', username: 'sandbox_shop', user_id: '17841400000000001', name: 'Sandbox Shop' }]
		).map((a) => ({ ...a })),
		sent: [],
		attempts: [],
		requests: [],
		failures: [],
		failRule: null,
		callCounts: new Map(),
		hold: null,
		sendListeners: new Set(),
	};
}

export function findNumber(state: GraphState, id: string): WhatsAppNumber | undefined {
	return state.whatsappNumbers.find((n) => n.id === id);
}

/** `me` is the first account, as for a token that belongs to one professional account. */
export function findInstagramAccount(state: GraphState, id: string): InstagramAccount | undefined {
	return id === 'me' ? state.instagramAccounts[0] : state.instagramAccounts.find((a) => a.id === id || a.user_id === id);
}

/** Clears sent, attempts, requests, queued failures and the fail rule; lets held calls through. */
export function resetGraphState(state: GraphState): void {
	state.sent.length = 0;
	state.attempts.length = 0;
	state.requests.length = 0;
	state.failures.length = 0;
	state.failRule = null;
	state.callCounts.clear();
	if (state.hold) state.hold.open();
	state.hold = null;
}
