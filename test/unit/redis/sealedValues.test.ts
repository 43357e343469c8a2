import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { readN8nEncryptionKey, seal, unseal } from '../../../nodes/shared/redis/sealedValues';
import { useTempDir } from '../../support/tempDir';

describe('values sealed for n8n\'s Redis', () => {
	const key = 'n8n-encryption-key-of-this-deployment';

	it('open for the same purpose and key, and show nothing of the value', () => {
		const value = { text: 'I want the deluxe room June 20-23', chatRef: { userId: '4915112345678' } };
		const sealed = seal(value, 'turn-record', key);
		expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
		expect(sealed).not.toContain('deluxe');
		expect(sealed).not.toContain('4915112345678');
		expect(unseal(sealed, 'turn-record', key)).toEqual(value);
		expect(seal(value, 'turn-record', key)).not.toBe(sealed); // a fresh IV each time
	});

	it('do not open with another key, for another purpose, or once changed', () => {
		const sealed = seal({ a: 1 }, 'turn-record', key);
		expect(unseal(sealed, 'turn-record', 'another-deployment-key')).toBeUndefined();
		expect(unseal(sealed, 'turn-message', key)).toBeUndefined();
		const [v, iv, body, tag] = sealed.split('.');
		const flipped = Buffer.from(body, 'base64url');
		flipped[0] ^= 1;
		expect(unseal([v, iv, flipped.toString('base64url'), tag].join('.'), 'turn-record', key)).toBeUndefined();
		expect(unseal('v2.a.b.c', 'turn-record', key)).toBeUndefined();
		expect(unseal('not sealed', 'turn-record', key)).toBeUndefined();
	});

	describe('n8n\'s key, found as n8n finds it', () => {
		const temp = useTempDir('sealed-');

		it('N8N_ENCRYPTION_KEY first, then N8N_ENCRYPTION_KEY_FILE, then the user folder\'s .n8n/config', () => {
			mkdirSync(join(temp.path(), '.n8n'));
			writeFileSync(join(temp.path(), '.n8n', 'config'), JSON.stringify({ encryptionKey: 'from-config' }));
			writeFileSync(join(temp.path(), 'key-file'), '  from-file\n');
			expect(readN8nEncryptionKey({ N8N_ENCRYPTION_KEY: 'from-env', N8N_ENCRYPTION_KEY_FILE: join(temp.path(), 'key-file'), N8N_USER_FOLDER: temp.path() })).toBe('from-env');
			expect(readN8nEncryptionKey({ N8N_ENCRYPTION_KEY_FILE: join(temp.path(), 'key-file'), N8N_USER_FOLDER: temp.path() })).toBe('from-file');
			expect(readN8nEncryptionKey({ N8N_USER_FOLDER: temp.path() })).toBe('from-config');
			expect(readN8nEncryptionKey({ HOME: temp.path() })).toBe('from-config');
		});

		it('none: undefined (a missing or unreadable config is no key)', () => {
			expect(readN8nEncryptionKey({ N8N_USER_FOLDER: temp.path() })).toBeUndefined();
			mkdirSync(join(temp.path(), '.n8n'));
			writeFileSync(join(temp.path(), '.n8n', 'config'), '{ not json');
			expect(readN8nEncryptionKey({ N8N_USER_FOLDER: temp.path() })).toBeUndefined();
		});
	});
});
