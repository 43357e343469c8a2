import type { Logger } from 'n8n-workflow';

import { claimAcrossHosts, settleClaims } from '../redis/sharedDeliveryClaims';
import { DEDUPE_RETENTION_MS } from './dedupe';
import type { InboundEvent } from './inboundEvents';

const WARN_EVERY_MS = 60_000;
let lastWarning = 0;

function warnAtMostEveryMinute(logger: Logger, message: string): void {
	const now = Date.now();
	if (now - lastWarning < WARN_EVERY_MS) return;
	lastWarning = now;
	logger.warn(message);
}

export interface CrossHostClaim {
	/** Whether claims were made in n8n's Redis (queue mode, Redis answering); false = the per-host answer stands. */
	shared: boolean;
	/** The events to start the run with here. */
	events: InboundEvent[];
	/** Another webhook host is starting a copy of some event right now: answer 5xx, start nothing here. */
	copyInFlightElsewhere: boolean;
	/** Call once the answer to Meta is known: 2xx → the run is queued (claims done), else release them. */
	settle: (answeredWith2xx: boolean) => void;
}

/**
 * Second step of "Ignore Redeliveries" in queue mode: of the events this host has not seen, keeps those it could
 * claim in n8n's Redis (see ../redis/sharedDeliveryClaims). Outside queue mode it returns the events unchanged
 * without any I/O.
 */
export async function claimEventsAcrossHosts(logger: Logger, label: string, scope: string, events: InboundEvent[]): Promise<CrossHostClaim> {
	const unchanged: CrossHostClaim = { shared: false, events, copyInFlightElsewhere: false, settle: () => undefined };
	if (events.length === 0) return unchanged;
	const result = await claimAcrossHosts(scope, events.map((e) => e.dedupeKey));
	if (result.mode === 'off') return unchanged;
	if (result.mode === 'unavailable') {
		warnAtMostEveryMinute(
			logger,
			`${label} Trigger: could not check n8n's Redis for messages another webhook host already took (${result.reason}). ` +
				'The run starts anyway, so a copy of the same message that reached another host may start a second run. ' +
				'Check the QUEUE_BULL_REDIS_* settings of this n8n process (or set CHAT_CHECKOUT_SHARED_DEDUPE=false to use the per-host memory only).',
		);
		return unchanged;
	}
	const claimedKeys = [...result.claimed];
	let settled = false;
	return {
		shared: true,
		events: events.filter((e) => result.claimed.has(e.dedupeKey)),
		copyInFlightElsewhere: result.inFlightElsewhere.size > 0,
		settle: (answeredWith2xx) => {
			if (settled || claimedKeys.length === 0) return;
			settled = true;
			void settleClaims(scope, claimedKeys, result.token, answeredWith2xx ? 'done' : 'release', { ttlMs: DEDUPE_RETENTION_MS }).then((problem) => {
				if (problem) {
					warnAtMostEveryMinute(
						logger,
						`${label} Trigger: could not mark messages as ${answeredWith2xx ? 'handled' : 'free again'} in n8n's Redis (${problem}); the claims expire by themselves within a minute.`,
					);
				}
			});
		},
	};
}
