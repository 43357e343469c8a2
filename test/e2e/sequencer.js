// @ts-check
'use strict';
/**
 * The order the end-to-end files start in (two run at a time): the longest first, so the queue-mode suite
 * (a whole deployment, ~12 min) runs beside the others instead of last and alone; then the rest by their
 * usual length. A file not listed runs after these.
 */
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

const ORDER = [
	'queueMode.test.ts',
	'badRequests.test.ts',
	'afterSale.test.ts',
	'conversation.test.ts',
	'dataSafety.test.ts',
	'chatCheckout.test.ts',
	'resilience.test.ts',
	'n8n1x.test.ts',
	'sandboxState.test.ts',
];

class LongestFirst extends Sequencer {
	/** @param {Array<import('@jest/test-result').Test>} tests */
	sort(tests) {
		const rank = (/** @type {import('@jest/test-result').Test} */ t) => {
			const i = ORDER.indexOf(path.basename(t.path));
			return i === -1 ? ORDER.length : i;
		};
		return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
	}
}

module.exports = LongestFirst;
