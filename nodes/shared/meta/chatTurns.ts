import type { InboundEvent } from './inboundEvents';

/**
 * Customers type in bursts ("hi" / "deluxe room" / "june 20-23" within seconds). Messages of one chat that
 * arrive close together are answered once, as one turn: the first webhook call of a chat opens the turn and,
 * after Meta already has its 200, waits until the chat has been quiet for `quietMs`; calls that arrive
 * meanwhile add their messages to it, answer 200 and start no run. The opening call then starts one run
 * with the whole turn.
 *
 * Turns live in this process's memory: a burst split across n8n processes (queue mode with several webhook
 * hosts) becomes one turn per process, and a process that dies inside the quiet window loses that turn
 * (Meta already had its 200), as it would lose a run that had started. A process that is asked to stop
 * (SIGTERM / SIGINT, as n8n, a process manager or a deploy does) closes its open turns at once, so that
 * their runs start before n8n has stopped (see closeOpenTurnsOnStop).
 */
export interface TurnOptions {
	/** Quiet time after the chat's last message before the turn is answered. 0 = no combining. */
	quietMs: number;
	/** A turn is answered at the latest this long after its first message, however chatty the customer. */
	maxWaitMs: number;
	/** A turn is answered at once when it holds this many messages. */
	maxMessages: number;
	/** Chats with an open turn in this process; past it, messages are answered one by one. */
	maxOpenTurns: number;
}

export const MAX_MESSAGES_PER_TURN = 20;
export const MAX_OPEN_TURNS = 10_000;

export function turnOptions(quietSeconds: number): TurnOptions {
	const quietMs = Math.max(0, Math.round(quietSeconds * 1000));
	return { quietMs, maxWaitMs: quietMs * 4, maxMessages: MAX_MESSAGES_PER_TURN, maxOpenTurns: MAX_OPEN_TURNS };
}

/** One message of a combined turn, as the item's `messages` list shows it. */
export interface TurnMessage {
	messageId: string;
	type: string;
	text: string;
	reply: InboundEvent['reply'];
	timestamp: string;
}

interface OpenTurn {
	events: InboundEvent[];
	firstAt: number;
	timer: ReturnType<typeof setTimeout> | undefined;
	closed: Promise<void>;
	close: () => void;
}

const openTurns = new Map<string, OpenTurn>();

/** The chat a message belongs to, within one trigger node (`scope`). */
function turnKey(scope: string, event: InboundEvent): string {
	const { channel, accountId, userId } = event.chatRef;
	return `${scope}\n${channel}\n${accountId}\n${userId}`;
}

function schedule(key: string, turn: OpenTurn, options: TurnOptions, now: number): void {
	if (turn.timer) clearTimeout(turn.timer);
	const closeAt = Math.min(now + options.quietMs, turn.firstAt + options.maxWaitMs);
	if (turn.events.length >= options.maxMessages || closeAt <= now) {
		openTurns.delete(key);
		turn.close();
		return;
	}
	turn.timer = setTimeout(() => {
		openTurns.delete(key);
		turn.close();
	}, closeAt - now);
}

/** The turn's texts in order; an edit of a message of the same turn replaces that message's text. */
function turnTexts(events: InboundEvent[]): string[] {
	const texts: Array<{ messageId: string; text: string }> = [];
	for (const event of events) {
		const edited = event.edited ? texts.find((entry) => entry.messageId === event.messageId) : undefined;
		if (edited) edited.text = event.text;
		else texts.push({ messageId: event.messageId, text: event.text });
	}
	return texts.map((entry) => entry.text);
}

/**
 * One event standing for the whole turn: the last message's ids and time, every message's text (an edited one
 * as edited), and the latest catalog cart of the turn (a cart followed by "thanks" is still the turn's order).
 */
export function combineTurn(events: InboundEvent[]): InboundEvent & { messages: TurnMessage[] } {
	const last = events[events.length - 1];
	const messages = events.map((e) => ({ messageId: e.messageId, type: e.type, text: e.text, reply: e.reply, timestamp: e.timestamp }));
	const cart = [...events].reverse().find((e) => e.order !== undefined)?.order;
	return {
		...last,
		text: turnTexts(events).filter((text) => text !== '').join('\n'),
		messages,
		...(cart && { order: cart }),
	};
}

/**
 * Adds the customer messages among `events` to their chats' turns. Resolves, once the turns this call opened
 * are complete, with what this call must emit: its other events (statuses, reactions …) and one combined
 * event per turn it opened. Messages that joined a turn opened by an earlier call are emitted by that call.
 */
export async function collectTurns(
	scope: string,
	events: InboundEvent[],
	options: TurnOptions,
	now: () => number = Date.now,
): Promise<InboundEvent[]> {
	// A process on its way out holds nothing: what arrives now must start before n8n stops.
	if (options.quietMs <= 0 || stopping) return events;
	const own: Array<{ key: string; turn: OpenTurn } | InboundEvent> = [];
	for (const event of events) {
		if (event.event !== 'message') {
			own.push(event);
			continue;
		}
		const key = turnKey(scope, event);
		const open = openTurns.get(key);
		if (open) {
			open.events.push(event);
			schedule(key, open, options, now());
			continue;
		}
		if (openTurns.size >= options.maxOpenTurns) {
			own.push(event); // too many chats waiting in this process: answer this one on its own
			continue;
		}
		closeOpenTurnsOnStop();
		let close!: () => void;
		const closed = new Promise<void>((resolve) => (close = resolve));
		const turn: OpenTurn = { events: [event], firstAt: now(), timer: undefined, closed, close };
		openTurns.set(key, turn);
		schedule(key, turn, options, now());
		own.push({ key, turn });
	}
	const emitted: InboundEvent[] = [];
	for (const entry of own) {
		if ('turn' in entry) {
			await entry.turn.closed;
			emitted.push(combineTurn(entry.turn.events));
		} else {
			emitted.push(entry);
		}
	}
	return emitted;
}

/** Closes every open turn now: each is answered with what it has so far. Returns how many there were. */
export function closeAllOpenTurns(): number {
	const turns = [...openTurns.values()];
	openTurns.clear();
	for (const turn of turns) {
		if (turn.timer) clearTimeout(turn.timer);
		turn.close();
	}
	return turns.length;
}

let listening = false;
/** Set once this process was asked to stop: from then on messages are not held for a turn. */
let stopping = false;

/**
 * How long a stopping process gives n8n, after closing its open turns, to take their runs (create each
 * execution and queue or start it) before n8n's own shutdown goes on. Measured in queue mode: without it n8n
 * finished stopping before it had taken them, and 2 of 3 turns of a webhook host stopped mid-burst were lost.
 */
export const STOP_HANDOFF_MS = 2000;

/**
 * When this process is asked to stop, its open turns start their runs at once instead of after their quiet
 * window (which n8n's shutdown would not wait for: Meta has its 200 already, the turn would be lost), and n8n's
 * own handling of the signal waits STOP_HANDOFF_MS for those runs to be taken. Only where the process already
 * handles the signal (n8n does): a listener of ours must not be what keeps a process from stopping; with no
 * open turn the signal reaches n8n's handlers at once, as before.
 */
function closeOpenTurnsOnStop(): void {
	if (listening) return;
	listening = true;
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		deferSignalUntilTurnsHandedOff(signal, STOP_HANDOFF_MS);
	}
}

/** Puts itself before the signal's current listeners: closes the open turns, then calls them (later if it closed any). */
export function deferSignalUntilTurnsHandedOff(signal: NodeJS.Signals, handoffMs: number): void {
	const theirs = process.listeners(signal);
	if (theirs.length === 0) return;
	for (const listener of theirs) process.removeListener(signal, listener);
	process.once(signal, () => {
		let passed = false;
		const wait: { timer?: ReturnType<typeof setTimeout> } = {};
		const passOn = () => {
			if (passed) return;
			passed = true;
			if (wait.timer) clearTimeout(wait.timer);
			process.removeListener(signal, passOn);
			for (const listener of theirs) (listener as (s: NodeJS.Signals) => void).call(process, signal);
		};
		stopping = true;
		if (closeAllOpenTurns() === 0) return passOn();
		// The same signal again while waiting (an impatient operator, a process manager) goes on at once.
		process.once(signal, passOn);
		wait.timer = setTimeout(passOn, handoffMs);
	});
}

/** How many chats have a turn open in this process (tests, benchmarks). */
export function openTurnCount(): number {
	return openTurns.size;
}
