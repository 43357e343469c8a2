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
