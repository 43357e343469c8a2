'use strict';
/**
 * The triggers keep their seen message ids in memory and in files under the n8n user folder
 * (`$N8N_USER_FOLDER/.n8n/chat-checkout/seen-events/`, see nodes/shared/meta/dedupe.ts). The bench points
 * N8N_USER_FOLDER at a fresh temporary folder before it loads anything, so it never reads or writes a real
 * ~/.n8n, and removes the folder at the end (also if the process exits on an error).
 * Uses only Node built-ins: require it before anything from dist/.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

let folder;

/** Creates the folder (once per process), sets N8N_USER_FOLDER to it, and returns it. */
function useTempUserFolder(prefix = 'chat-checkout-bench-') {
	if (folder) return folder;
	folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	process.env.N8N_USER_FOLDER = folder;
	// Safety net for error paths; the normal path calls removeTempUserFolder() after the last write.
	process.on('exit', removeTempUserFolderSync);
	return folder;
}

function removeTempUserFolderSync() {
	if (!folder) return;
	fs.rmSync(folder, { recursive: true, force: true });
	folder = undefined;
}

/** Waits for the pending seen-id file writes (they would recreate the folder), then removes the folder. */
async function removeTempUserFolder() {
	if (!folder) return;
	const { flushSeenEventWrites } = require('./paths').dist('meta/dedupe.js');
	await flushSeenEventWrites();
	const removed = folder;
	removeTempUserFolderSync();
	return removed;
}

/** Prefix of the folder the memory child process (bench/memory.js) makes, tied to the parent's pid. */
function childFolderPrefix(parentPid) {
	return `chat-checkout-bench-memory-${parentPid}-`;
}

/** Removes what a child killed at its timeout could not: its folders, found by the prefix with this pid. */
function removeChildFolders() {
	const prefix = childFolderPrefix(process.pid);
	const left = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(prefix));
	for (const name of left) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
	return left.length;
}

/** The .json store files now in the dedupe folder, by name. */
function storeFiles() {
	const { dedupeDirectory } = require('./paths').dist('meta/dedupe.js');
	const directory = dedupeDirectory();
	try {
		return new Set(fs.readdirSync(directory).filter((name) => name.endsWith('.json')).map((name) => path.join(directory, name)));
	} catch {
		return new Set();
	}
}

/**
 * The one store file that appeared since `before` (a set from storeFiles()): how the bench finds a scope's
 * file without copying dedupe.ts's naming rule. Throws when there is not exactly one.
 */
function newStoreFile(before) {
	const added = [...storeFiles()].filter((file) => !before.has(file));
	if (added.length !== 1) throw new Error(`fixture: expected one new seen-id file, found ${added.length}`);
	return added[0];
}

module.exports = { useTempUserFolder, removeTempUserFolder, childFolderPrefix, removeChildFolders, storeFiles, newStoreFile };
