import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the pack keeps in n8n's Redis beyond digests — a customer's message on its way to the webhook host that
 * answers its turn, a turn kept until its run is over (so a run that dies can be resumed) — is sealed with
 * AES-256-GCM under a key derived (HKDF-SHA256) from n8n's own encryption key. Every process of a queue-mode
 * deployment has that key (n8n needs it to decrypt credentials), so any of them can open what another sealed,
 * and someone who can read Redis but not n8n's settings cannot. A value sealed for one purpose does not open
 * for another (the purpose is the HKDF info).
 *
 * n8n's key is read as n8n 2.40 reads it (n8n-core InstanceSettings): N8N_ENCRYPTION_KEY (or the file named by
 * N8N_ENCRYPTION_KEY_FILE), else `encryptionKey` in `<N8N_USER_FOLDER or home>/.n8n/config`.
 */
const SALT = 'n8n-nodes-chat-checkout';
const VERSION = 'v1';

export function readN8nEncryptionKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
	if (env.N8N_ENCRYPTION_KEY) return env.N8N_ENCRYPTION_KEY;
	if (env.N8N_ENCRYPTION_KEY_FILE) {
		try {
			return readFileSync(env.N8N_ENCRYPTION_KEY_FILE, 'utf8').trim() || undefined;
		} catch {
			return undefined;
		}
	}
	const home = env.N8N_USER_FOLDER ?? env.HOME ?? process.cwd();
	try {
		const settings = JSON.parse(readFileSync(join(home, '.n8n', 'config'), 'utf8')) as { encryptionKey?: unknown };
		return typeof settings.encryptionKey === 'string' && settings.encryptionKey !== '' ? settings.encryptionKey : undefined;
	} catch {
		return undefined;
	}
}

const keys = new Map<string, Buffer>();

function keyFor(n8nKey: string, purpose: string): Buffer {
	const id = `${purpose}\n${n8nKey}`;
	let key = keys.get(id);
	if (!key) {
		key = Buffer.from(hkdfSync('sha256', n8nKey, SALT, purpose, 32));
		keys.set(id, key);
	}
	return key;
}

/** `v1.<iv>.<ciphertext>.<tag>` (base64url) of the JSON of `value`. */
export function seal(value: unknown, purpose: string, n8nKey: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', keyFor(n8nKey, purpose), iv);
	const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
	return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** The value sealed by `seal` for the same purpose and key; undefined for anything else (tampered, other key). */
export function unseal<T = unknown>(sealed: string, purpose: string, n8nKey: string): T | undefined {
	const [version, iv, body, tag] = sealed.split('.');
	if (version !== VERSION || !iv || body === undefined || !tag) return undefined;
	try {
		const decipher = createDecipheriv('aes-256-gcm', keyFor(n8nKey, purpose), Buffer.from(iv, 'base64url'));
		decipher.setAuthTag(Buffer.from(tag, 'base64url'));
		const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
		return JSON.parse(plain.toString('utf8')) as T;
	} catch {
		return undefined;
	}
}
