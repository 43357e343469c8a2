/**
 * Warnings an operator should see in n8n's log, but once per process and subject rather than on every
 * webhook call (Stripe and Meta may call many times a second).
 */
import type { Logger } from 'n8n-workflow';

const warned = new Set<string>();

export function warnOnce(logger: Logger, key: string, message: string): void {
	if (warned.has(key)) return;
	warned.add(key);
	logger.warn(message);
}

const lastWarned = new Map<string, number>();

/** The same, but again after `everyMs` if the subject is still true (a condition an operator must fix). */
export function warnEvery(logger: Logger, key: string, everyMs: number, message: string, now: number = Date.now()): void {
	const last = lastWarned.get(key);
	if (last !== undefined && now - last < everyMs) return;
	lastWarned.set(key, now);
	logger.warn(message);
}
