/** The "Options" collection that ends most of the pack's nodes: optional settings, hidden until added. */
import type { INodeProperties } from 'n8n-workflow';

export function optionsCollection(options: INodeProperties[], extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
		...extra,
	};
}
