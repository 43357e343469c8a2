// @ts-check
'use strict';
/**
 * The queue measurement scripts' figures: each step runs only when named on the command line (or when none
 * is), and its result is logged and saved to .sandbox/<file> as soon as it is known, so a later step that
 * fails or hangs loses nothing measured before it.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * @param {string} fileName  e.g. 'queue-faults.json'
 * @param {(line: string) => void} log
 */
function figuresFile(fileName, log) {
	const file = path.join(ROOT, '.sandbox', fileName);
	/** @type {Record<string, unknown>} */
	const figures = { n8n: '2.40.7', at: new Date().toISOString() };
	const only = process.argv.slice(2);
	const save = () => {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify(figures, null, 2));
	};
	return {
		figures,
		save,
		/** @param {string} step */
		wants: (step) => only.length === 0 || only.includes(step),
		/**
		 * @param {string} key
		 * @param {() => Promise<unknown>} measure
		 */
		async record(key, measure) {
			figures[key] = await measure();
			log(JSON.stringify(figures[key]));
			save();
		},
	};
}

module.exports = { figuresFile };
