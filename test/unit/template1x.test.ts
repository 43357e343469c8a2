/**
 * The template for n8n 1.x (workflows/n8n-1.x/) is made from the shipped one by scripts/template-1x.js: it must be
 * current, and differ only where n8n 1.123 needs it (its e2e run is test/e2e/n8n1x.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const { generate, fillDataTableIds, tableIdExpression, DATA_TABLE_IDS_NODE, FILES } = require('../../scripts/template-1x');

/* eslint-disable @typescript-eslint/no-explicit-any */
const root = join(__dirname, '..', '..');
const load = (...parts: string[]) => JSON.parse(readFileSync(join(root, 'workflows', ...parts), 'utf8'));

describe('workflows/n8n-1.x', () => {
	it('is what scripts/template-1x.js makes from the shipped template now (run it after changing the template)', () => {
		const files = generate();
		for (const file of FILES) expect({ file, content: readFileSync(join(root, 'workflows', 'n8n-1.x', file), 'utf8') }).toEqual({ file, content: files[file] });
	});

	describe.each(['chat-checkout.json', 'chat-checkout-payments.json'])('%s', (file) => {
		const shipped = load(file);
		const variant = load('n8n-1.x', file);

		it('has the shipped nodes and connections, every Data Table node at version 1 naming its table by ID from one place', () => {
			const ids = variant.nodes.find((n: any) => n.name === DATA_TABLE_IDS_NODE);
			const fields = ids.parameters.assignments.assignments.map((a: any) => a.name);
			expect(variant.connections).toEqual(shipped.connections);
			for (const node of shipped.nodes) {
				const same = variant.nodes.find((n: any) => n.name === node.name);
				if (node.type !== 'n8n-nodes-base.dataTable') {
					expect(same).toEqual(node);
					continue;
				}
				const table = node.parameters.dataTableId.value;
				expect(fields).toContain(table);
				expect(same).toEqual({ ...node, typeVersion: 1, parameters: { ...node.parameters, dataTableId: { __rl: true, mode: 'id', value: tableIdExpression(table) } } });
			}
			expect(variant.nodes).toHaveLength(shipped.nodes.length + 2); // + the IDs node and its note
			expect(JSON.stringify(variant)).not.toContain('"mode":"name"');
		});

		it('takes the IDs an operator pastes, and refuses a missing one', () => {
			const tables = { chat_checkout_catalog: 'tCatalog1', chat_checkout_orders: 'tOrders1', chat_checkout_chats: 'tChats1' };
			const filled = fillDataTableIds(structuredClone(variant), tables);
			const values = filled.nodes.find((n: any) => n.name === DATA_TABLE_IDS_NODE).parameters.assignments.assignments.map((a: any) => [a.name, a.value]);
			expect(values.every(([name, value]: [keyof typeof tables, string]) => value === tables[name])).toBe(true);
			expect(() => fillDataTableIds(structuredClone(variant), { chat_checkout_catalog: 'x' })).toThrow(/no ID for data table/);
		});
	});

	it('setup: adds the sample products only, and its note lists every column of the three tables', () => {
		const shipped = load('chat-checkout-setup.json');
		const variant = load('n8n-1.x', 'chat-checkout-setup.json');
		const creates = shipped.nodes.filter((n: any) => n.parameters.resource === 'table');
		expect(creates).toHaveLength(3);
		expect(variant.nodes.filter((n: any) => n.parameters.resource === 'table')).toEqual([]);
		expect(variant.nodes.filter((n: any) => n.parameters.operation === 'insert').map((n: any) => n.name)).toEqual(['Add Deluxe Room', 'Add Pro plan', 'Add Welcome basket']);
		expect(variant.connections['Run once to set up'].main[0].map((c: any) => c.node)).toEqual(['Add Deluxe Room']);
		const note = variant.nodes.find((n: any) => n.name === 'Note').parameters.content;
		for (const create of creates) {
			for (const column of create.parameters.columns.column) expect(note).toContain(`${column.name} (${column.type})`);
		}
	});
});
