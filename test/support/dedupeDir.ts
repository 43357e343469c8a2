/** Gives each test file its own n8n user folder, so the triggers' seen-id files never leak between tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { flushSeenEventWrites, forgetInMemoryStateForTests } from '../../nodes/shared/meta/dedupe';

export function useIsolatedUserFolder(): { folder: () => string } {
	let folder = '';
	const previous = process.env.N8N_USER_FOLDER;
	beforeEach(() => {
		forgetInMemoryStateForTests();
		folder = mkdtempSync(join(tmpdir(), 'chat-checkout-test-'));
		process.env.N8N_USER_FOLDER = folder;
	});
	afterEach(async () => {
		await flushSeenEventWrites();
		forgetInMemoryStateForTests();
		rmSync(folder, { recursive: true, force: true });
		if (previous === undefined) delete process.env.N8N_USER_FOLDER;
		else process.env.N8N_USER_FOLDER = previous;
	});
	return { folder: () => folder };
}
