// @ts-check
'use strict';
/**
 * The template for n8n 1.x (the 1.123 line), made from the shipped one: `node scripts/template-1x.js` writes
 * workflows/n8n-1.x/*.json; `--check` only says whether they are current (the unit tests check it too).
 *
 * Why a second set of files: n8n 1.123's Data Table node (version 1 only; 2.x has 1.1) picks a table from a list or
 * by ID — it has no "by name" mode, which the shipped template uses so that it runs right after import — and it
 * cannot create tables (no table resource). So on 1.x:
 * - every Data Table node is version 1 (1.1 only adds turning Date values of "get" results into ISO strings; the
 *   template reads no date column) and names its table by ID, from one place per workflow: the *Data table IDs*
 *   node (a Set node, not connected to anything), where the operator pastes the three IDs once;
 * - the setup workflow only adds the sample products: the tables are made by hand (its note lists the columns).
 * Everything else — nodes, connections, texts, versions — is the shipped template's.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'workflows');
const TARGET = path.join(ROOT, 'workflows', 'n8n-1.x');
const FILES = ['chat-checkout.json', 'chat-checkout-payments.json', 'chat-checkout-setup.json'];
const DATA_TABLE = 'n8n-nodes-base.dataTable';
/** The one place per 1.x workflow that holds the tables' IDs. */
const DATA_TABLE_IDS_NODE = 'Data table IDs';
/** Data Table node versions the shipped template may use, and what they become on 1.x (the only one there). */
const DATA_TABLE_VERSIONS_1X = { 1: 1, 1.1: 1 };

/** A stable node id (the generated files do not change unless the template does). @param {string} seed */
function stableId(seed) {
	const h = crypto.createHash('sha256').update(`chat-checkout-1x:${seed}`).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The expression a 1.x Data Table node names its table with. @param {string} table */
function tableIdExpression(table) {
	return `={{ $('${DATA_TABLE_IDS_NODE}').params.assignments.assignments.find((t) => t.name === '${table}').value }}`;
}

/**
 * The *Data table IDs* node and its note, left of (above) the workflow's first note.
 * @param {string[]} tables
 * @param {[number, number]} at  top-left corner of the note
 * @param {string} workflowName
 */
function dataTableIdsNodes(tables, at, workflowName) {
	const note = {
		parameters: {
			content:
				'# n8n 1.x: your data table IDs\n' +
				'n8n 1.x finds a data table by its ID only. Paste the ID of each table into **Data table IDs** (one field per table): ' +
				'Overview → Data tables → open the table; the ID is the last part of its address ' +
				'(…/datatables/**ID**). Every Data Table node of this workflow reads it from there.',
			width: 500,
			height: 440,
			color: 7,
		},
		name: 'Note: data table IDs',
		type: 'n8n-nodes-base.stickyNote',
		typeVersion: 1,
		position: at,
		id: stableId(`${workflowName}:note`),
	};
	const node = {
		parameters: {
			mode: 'manual',
			assignments: {
				assignments: tables.map((table) => ({ id: table, name: table, type: 'string', value: '' })),
			},
			options: {},
		},
		name: DATA_TABLE_IDS_NODE,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [at[0] + 160, at[1] + 240],
		id: stableId(`${workflowName}:ids`),
	};
	return [note, node];
}

/**
 * A Data Table node as n8n 1.x can run it.
 * @param {any} node
 */
function dataTableNode1x(node) {
	const version = DATA_TABLE_VERSIONS_1X[/** @type {1 | 1.1} */ (node.typeVersion)];
	if (version === undefined) throw new Error(`template-1x: "${node.name}" is Data Table version ${node.typeVersion}; add it to DATA_TABLE_VERSIONS_1X once it is known to behave the same on 1.x`);
	const locator = node.parameters.dataTableId;
	if (!locator || locator.mode !== 'name') throw new Error(`template-1x: "${node.name}" does not name its table (dataTableId mode "${locator?.mode}")`);
	return { ...node, typeVersion: version, parameters: { ...node.parameters, dataTableId: { __rl: true, mode: 'id', value: tableIdExpression(locator.value) } } };
}

/**
 * The 1.x variant of one shipped workflow.
 * @param {string} file  one of FILES
 * @param {any} workflow  its JSON
 */
function workflow1x(file, workflow) {
	const name = `${workflow.name} (n8n 1.x)`;
	let nodes = workflow.nodes;
	let connections = workflow.connections;
	/** @type {any[]} */
	let extra = [];
	if (file === 'chat-checkout-setup.json') {
		// 1.x cannot create tables from a workflow: the trigger goes straight to the sample products.
		const creates = nodes.filter((/** @type {any} */ n) => n.type === DATA_TABLE && n.parameters.resource === 'table');
		const columns = creates.map((/** @type {any} */ n) => `**${n.parameters.tableName}**: ${n.parameters.columns.column.map((/** @type {any} */ c) => `${c.name} (${c.type})`).join(', ')}`);
		const dropped = new Set(creates.map((/** @type {any} */ n) => n.name));
		const trigger = nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.manualTrigger');
		const firstInsert = Object.values(connections)
			.flatMap((/** @type {any} */ c) => c.main.flat())
			.map((/** @type {any} */ c) => c.node)
			.find((/** @type {string} */ n) => !dropped.has(n) && n !== trigger.name);
		nodes = nodes
			.filter((/** @type {any} */ n) => !dropped.has(n.name))
			.map((/** @type {any} */ n) =>
				n.type === 'n8n-nodes-base.stickyNote'
					? {
							...n,
							parameters: {
								...n.parameters,
								height: 520,
								content:
									'# Run once (n8n 1.x)\n' +
									'n8n 1.x cannot create data tables from a workflow. First create these three by hand (Overview → Create → Data table), ' +
									'with exactly these columns:\n\n' +
									columns.map((c) => `- ${c}`).join('\n') +
									`\n\nThen paste their IDs into **${DATA_TABLE_IDS_NODE}** and run this once: it adds the sample products. ` +
									'Edit the catalog afterwards in Overview → Data tables: prices in major units (199.00), limits per order (maxPerOrder, maxNights).',
							},
						}
					: n,
			);
		connections = Object.fromEntries(
			Object.entries(connections)
				.filter(([from]) => !dropped.has(from))
				.map(([from, c]) => [from, from === trigger.name ? { main: [[{ node: firstInsert, type: 'main', index: 0 }]] } : c]),
		);
	}
	const tables = [...new Set(nodes.filter((/** @type {any} */ n) => n.type === DATA_TABLE).map((/** @type {any} */ n) => n.parameters.dataTableId.value))].sort();
	const notes = nodes.filter((/** @type {any} */ n) => n.type === 'n8n-nodes-base.stickyNote');
	const left = Math.min(...nodes.map((/** @type {any} */ n) => n.position[0]));
	const top = Math.min(...notes.map((/** @type {any} */ n) => n.position[1]), ...nodes.map((/** @type {any} */ n) => n.position[1]));
	extra = dataTableIdsNodes(tables, file === 'chat-checkout-setup.json' ? [left - 560, top] : [left, top - 480], name);
	return {
		...workflow,
		name,
		nodes: [...nodes.map((/** @type {any} */ n) => (n.type === DATA_TABLE ? dataTableNode1x(n) : n)), ...extra],
		connections,
	};
}

/** Every 1.x file's content, from the shipped template as it is now. @returns {Record<string, string>} */
function generate() {
	return Object.fromEntries(
		FILES.map((file) => [file, `${JSON.stringify(workflow1x(file, JSON.parse(fs.readFileSync(path.join(SOURCE, file), 'utf8'))), null, 2)}\n`]),
	);
}

/**
 * Puts the tables' IDs into a 1.x workflow's *Data table IDs* node (what the operator does by hand).
 * @param {any} workflow
 * @param {Record<string, string>} tableIds  table name → ID
 */
function fillDataTableIds(workflow, tableIds) {
	const node = workflow.nodes.find((/** @type {any} */ n) => n.name === DATA_TABLE_IDS_NODE);
	if (!node) throw new Error(`workflow "${workflow.name}" has no "${DATA_TABLE_IDS_NODE}" node (not an n8n 1.x template?)`);
	for (const field of node.parameters.assignments.assignments) {
		if (!tableIds[field.name]) throw new Error(`no ID for data table "${field.name}"`);
		field.value = tableIds[field.name];
	}
	return workflow;
}

module.exports = { generate, fillDataTableIds, workflow1x, tableIdExpression, DATA_TABLE_IDS_NODE, FILES, TARGET };

if (require.main === module) {
	const files = generate();
	const stale = FILES.filter((file) => {
		try {
			return fs.readFileSync(path.join(TARGET, file), 'utf8') !== files[file];
		} catch {
			return true;
		}
	});
	if (process.argv.includes('--check')) {
		if (stale.length) {
			console.error(`workflows/n8n-1.x is out of date (${stale.join(', ')}): run node scripts/template-1x.js`);
			process.exit(1);
		}
		console.log('workflows/n8n-1.x is current');
	} else {
		fs.mkdirSync(TARGET, { recursive: true });
		for (const file of FILES) fs.writeFileSync(path.join(TARGET, file), files[file]);
		console.log(`wrote ${FILES.map((f) => `workflows/n8n-1.x/${f}`).join(', ')}${stale.length ? '' : ' (unchanged)'}`);
	}
}
