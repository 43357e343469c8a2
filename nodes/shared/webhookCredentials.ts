/**
 * A webhook node's credential, remembered for a short while per node.
 *
 * Every `getCredentials` in a webhook call costs n8n a database lookup, a decryption and, under n8n's default
 * expression settings, an expression isolate of its own (CredentialsHelper.applyDefaultsAndOverwrites) — more
 * than the rest of the node's work. Meta and Stripe call a webhook many times a second, always with the same
 * credential, so the node reads it at most once per CREDENTIAL_REUSE_MS. A request that fails the check with the
 * remembered data is checked again with the credential as it is now (`fresh`), so a changed secret or verify
 * token applies at once; only a replaced one stays accepted, for at most CREDENTIAL_REUSE_MS.
 *
 * Entries are per workflow, node, credential type and credential id: n8n's own checks of whether this node may
 * use the credential ran on the lookup that filled the entry.
 */
import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

export const CREDENTIAL_REUSE_MS = 30_000;

interface Remembered {
	data: ICredentialDataDecryptedObject;
	readAt: number;
}

const remembered = new Map<string, Remembered>();

function keyOf(ctx: IWebhookFunctions, type: string): string {
	const node = ctx.getNode();
	return [ctx.getWorkflow().id ?? '', node.id, type, node.credentials?.[type]?.id ?? ''].join('\n');
}

export interface WebhookCredentials<T> {
	data: T;
	/** Whether `data` was read from n8n for this call (false: remembered from an earlier call). */
	fresh: boolean;
}

/** The credential, remembered if it was read less than CREDENTIAL_REUSE_MS ago. */
export async function webhookCredentials<T extends object>(ctx: IWebhookFunctions, type: string, now = Date.now()): Promise<WebhookCredentials<T>> {
	const entry = remembered.get(keyOf(ctx, type));
	if (entry && now - entry.readAt >= 0 && now - entry.readAt < CREDENTIAL_REUSE_MS) return { data: entry.data as T, fresh: false };
	return { data: await freshWebhookCredentials<T>(ctx, type, now), fresh: true };
}

/** The credential as n8n has it now (and remembered from now on). */
export async function freshWebhookCredentials<T extends object>(ctx: IWebhookFunctions, type: string, now = Date.now()): Promise<T> {
	const data = await ctx.getCredentials(type);
	remembered.set(keyOf(ctx, type), { data, readAt: now });
	return data as unknown as T;
}

/** Forgets every remembered credential, as a restart of n8n does (tests). */
export function forgetRememberedCredentials(): void {
	remembered.clear();
}
