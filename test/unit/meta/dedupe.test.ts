import type { IDataObject } from 'n8n-workflow';

import { DEDUPE_RETENTION_MS, claimUnseenKeys, forgetRecentKeysForTests } from '../../../nodes/shared/meta/dedupe';

const t0 = Date.UTC(2026, 5, 1);
beforeEach(() => forgetRecentKeysForTests());

describe('claimUnseenKeys', () => {
	it('claims each key once, also within one batch', () => {
		const store: IDataObject = {};
		expect([...claimUnseenKeys(store, 's', ['a', 'b', 'a'], t0)]).toEqual(['a', 'b']);
		expect([...claimUnseenKeys(store, 's', ['a', 'c'], t0 + 1000)]).toEqual(['c']);
	});

	it('forgets keys after the retention period (7 days), not before', () => {
		const store: IDataObject = {};
		claimUnseenKeys(store, 's', ['a'], t0);
		forgetRecentKeysForTests();
		expect(claimUnseenKeys(store, 's', ['a'], t0 + DEDUPE_RETENTION_MS - 60_000).size).toBe(0);
		forgetRecentKeysForTests();
		expect([...claimUnseenKeys(store, 's', ['a'], t0 + DEDUPE_RETENTION_MS + 60_000)]).toEqual(['a']);
	});

	it('keeps the process-wide memory apart per scope (two triggers in one n8n)', () => {
		expect(claimUnseenKeys({}, 'workflow-1:node-a', ['a'], t0).size).toBe(1);
		expect(claimUnseenKeys({}, 'workflow-2:node-b', ['a'], t0).size).toBe(1);
		expect(claimUnseenKeys({}, 'workflow-1:node-a', ['a'], t0).size).toBe(0);
	});

	it('tolerates a damaged store and does not rewrite it when nothing changed', () => {
		const store: IDataObject = { seenEvents: 'garbage' };
		expect(claimUnseenKeys(store, 's', ['a'], t0).size).toBe(1);
		const saved = store.seenEvents;
		forgetRecentKeysForTests();
		expect(claimUnseenKeys(store, 's', ['a'], t0 + 1000).size).toBe(0);
		expect(store.seenEvents).toBe(saved);
	});
});
