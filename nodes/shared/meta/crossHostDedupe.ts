import type { Logger } from 'n8n-workflow';

import { claimAcrossHosts } from '../redis/sharedDeliveryClaims';
import { DEDUPE_RETENTION_MS } from './dedupe';
import type { InboundEvent } from './inboundEvents';

const WARN_EVERY_MS = 60_000;
let lastWarning = 0;

/**
 * Second step of "Ignore Redeliveries" in queue mode: of the events this host has not seen, keeps those no
 * other host claimed first (shared claims in n8n's Redis, see ../redis/sharedDeliveryClaims). Outside queue
 * mode it returns the events unchanged without any I/O.
 */
export async function dropEventsClaimedByOtherHosts(
	logger: Logger,
	label: string,
	scope: string,
	events: InboundEvent[],
): Promise<InboundEvent[]> {
	if (events.length === 0) return events;
	const result = await claimAcrossHosts(scope, events.map((e) => e.dedupeKey), { ttlMs: DEDUPE_RETENTION_MS });
	if (result.mode === 'off') return events;
	if (result.mode === 'unavailable') {
		const now = Date.now();
		if (now - lastWarning >= WARN_EVERY_MS) {
			lastWarning = now;
			logger.warn(
				`${label} Trigger: could not check n8n's Redis for messages another webhook host already took (${result.reason}). ` +
					'The run starts anyway, so a copy of the same message that reached another host may start a second run. ' +
					'Check the QUEUE_BULL_REDIS_* settings of this n8n process (or set CHAT_CHECKOUT_SHARED_DEDUPE=false to use the per-host memory only).',
			);
		}
		return events;
	}
	return events.filter((e) => result.claimed.has(e.dedupeKey));
}
