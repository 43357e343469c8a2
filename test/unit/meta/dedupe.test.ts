import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	DEDUPE_RETENTION_MS,
	claimUnseenKeys,
	dedupeDirectory,
	forgetSeenKeys,
	flushSeenEventWrites,
	forgetInMemoryStateForTests,
} from '../../../nodes/shared/meta/dedupe';
import { useIsolatedUserFolder } from '../../support/dedupeDir';

const t0 = Date.UTC(2026, 5, 1);
const userFolder = useIsolatedUserFolder();

describe('claimUnseenKeys', () => {
	it('claims each key once, also within one batch', () => {
		expect([...claimUnseenKeys('s', ['a', 'b', 'a'], { now: t0 })]).toEqual(['a', 'b']);
		expect([...claimUnseenKeys('s', ['a', 'c'], { now: t0 + 1000 })]).toEqual(['c']);
	});

	it('forgets keys after the retention period (7 days), not before — also across a restart', async () => {
		claimUnseenKeys('s', ['a'], { now: t0 });
		await flushSeenEventWrites();
		forgetInMemoryStateForTests();
		expect(claimUnseenKeys('s', ['a'], { now: t0 + DEDUPE_RETENTION_MS - 60_000 }).size).toBe(0);
		expect([...claimUnseenKeys('s', ['a'], { now: t0 + DEDUPE_RETENTION_MS + 60_000 })]).toEqual(['a']);
	});

	it('forgets keys whose delivery started no run after all, also in the file', async () => {
		claimUnseenKeys('s', ['a', 'b'], { now: t0 });
		forgetSeenKeys('s', ['a']);
		await flushSeenEventWrites();
		forgetInMemoryStateForTests();
		expect([...claimUnseenKeys('s', ['a', 'b'], { now: t0 + 1000 })]).toEqual(['a']);
	});

	it('keeps trigger nodes apart (one file each)', async () => {
		expect(claimUnseenKeys('workflow-1:node-a', ['a'], { now: t0 }).size).toBe(1);
		expect(claimUnseenKeys('workflow-2:node-b', ['a'], { now: t0 }).size).toBe(1);
		expect(claimUnseenKeys('workflow-1:node-a', ['a'], { now: t0 }).size).toBe(0);
		await flushSeenEventWrites();
		expect(readdirSync(dedupeDirectory())).toHaveLength(2);
	});

	it('lives under the n8n user folder', () => {
		expect(dedupeDirectory({ N8N_USER_FOLDER: '/srv/n8n' })).toBe('/srv/n8n/.n8n/chat-checkout/seen-events');
		expect(dedupeDirectory()).toBe(join(userFolder.folder(), '.n8n', 'chat-checkout', 'seen-events'));
	});

	it('an unwritable folder is reported, and memory still deduplicates', async () => {
		const errors: Error[] = [];
		const blocker = join(userFolder.folder(), 'a-file');
		writeFileSync(blocker, 'not a folder');
		const directory = join(blocker, 'seen-events');
		expect(claimUnseenKeys('s', ['a'], { now: t0, directory, onStoreError: (e) => errors.push(e) }).size).toBe(1);
		await flushSeenEventWrites();
		expect(errors).toHaveLength(1);
		expect(existsSync(directory)).toBe(false);
		expect(claimUnseenKeys('s', ['a'], { now: t0, directory }).size).toBe(0);
	});
});

describe('the seen-id file under load', () => {
	it('claims arriving together are written together: one file write for 50 messages, all of them in it', async () => {
		const fsPromises = require('node:fs/promises') as typeof import('node:fs/promises');
		const writes = jest.spyOn(fsPromises, 'writeFile');
		try {
			for (let i = 0; i < 50; i++) expect(claimUnseenKeys('busy', [`m${i}`], { now: t0 + i }).size).toBe(1);
			await flushSeenEventWrites();
			expect(writes).toHaveBeenCalledTimes(1);
		} finally {
			writes.mockRestore();
		}
		forgetInMemoryStateForTests();
		expect(claimUnseenKeys('busy', Array.from({ length: 50 }, (_, i) => `m${i}`), { now: t0 + 100 }).size).toBe(0);
	});
});
