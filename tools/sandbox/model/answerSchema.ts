/**
 * Shaping the answer to a JSON schema (tools, response_format): the schema's properties are matched to answer
 * fields by name (productKey, sku, product_id… all name the product), values coerced to the property's type.
 */
import type { ChatOrderAnswer } from './orderReading';

/** A JSON schema as a client sends it: open JSON, read defensively. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = any;

const FIELD_ALIASES: Record<keyof ChatOrderAnswer, string[]> = {
	intent: ['intent', 'intention', 'kind', 'category'],
	productKey: ['productkey', 'product', 'productid', 'productcode', 'productsku', 'productlookupkey', 'sku', 'item', 'itemkey', 'pricekey', 'lookupkey', 'offer', 'roomtype'],
	quantity: ['quantity', 'qty', 'count', 'units', 'numberofunits', 'numberofrooms', 'roomcount', 'rooms', 'seats', 'numberofitems'],
	checkIn: ['checkin', 'checkindate', 'startdate', 'start', 'arrival', 'arrivaldate', 'from', 'fromdate', 'datefrom'],
	checkOut: ['checkout', 'checkoutdate', 'enddate', 'end', 'departure', 'departuredate', 'to', 'todate', 'dateto'],
	nights: ['nights', 'numberofnights', 'nightcount', 'nightscount', 'lengthofstay'],
	email: ['email', 'emailaddress', 'customeremail', 'contactemail', 'mail'],
};

/** The answer field a property (or injected key) name stands for, if any. */
export function fieldFor(name: string): keyof ChatOrderAnswer | null {
	const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
	for (const [field, aliases] of Object.entries(FIELD_ALIASES)) {
		if (aliases.includes(n)) return field as keyof ChatOrderAnswer;
	}
	return null;
}

function deref(schema: Schema, root: Schema): Schema {
	let s = schema;
	for (let i = 0; i < 10 && s && typeof s === 'object' && typeof s.$ref === 'string'; i++) {
		const path: string[] = s.$ref.replace(/^#\/?/, '').split('/').filter(Boolean);
		let target = root;
		for (const p of path) target = target && typeof target === 'object' ? target[p.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
		if (!target) break;
		s = target;
	}
	return s;
}

function typesOf(schema: Schema): string[] {
	if (!schema || typeof schema !== 'object') return [];
	const out: string[] = [];
	if (typeof schema.type === 'string') out.push(schema.type);
	if (Array.isArray(schema.type)) out.push(...schema.type);
	for (const k of ['anyOf', 'oneOf']) {
		if (Array.isArray(schema[k])) for (const sub of schema[k]) out.push(...typesOf(sub));
	}
	if (schema.nullable === true) out.push('null');
	if (!out.length && schema.properties) out.push('object');
	if (!out.length && Array.isArray(schema.enum)) out.push(typeof schema.enum[0] === 'number' ? 'number' : 'string');
	return out;
}

/** The object-typed branch of a schema, or null. */
function objectBranch(schema: Schema, root: Schema): Schema | null {
	const s = deref(schema, root);
	if (!s || typeof s !== 'object') return null;
	if (s.properties && typeof s.properties === 'object') return s;
	for (const k of ['anyOf', 'oneOf', 'allOf']) {
		if (Array.isArray(s[k])) {
			for (const sub of s[k]) {
				const b = objectBranch(sub, root);
				if (b) return b;
			}
		}
	}
	return null;
}

function emptyValueFor(schema: Schema): unknown {
	const types = typesOf(schema);
	if (types.includes('null')) return null;
	const t = types[0];
	if (t === 'number' || t === 'integer') return 0;
	if (t === 'boolean') return false;
	if (t === 'array') return [];
	if (t === 'object') return {};
	return '';
}

/** @returns undefined when the value should be left out */
function coerce(value: unknown, schema: Schema): unknown {
	const types = typesOf(schema);
	if (value === null || value === undefined) return types.includes('null') ? null : undefined;
	const t = types.find((x) => x !== 'null');
	let v: unknown = value;
	if (t === 'number' || t === 'integer') {
		const n = Number(v);
		if (!Number.isFinite(n)) return types.includes('null') ? null : undefined;
		v = t === 'integer' ? Math.round(n) : n;
	} else if (t === 'string') {
		v = String(v);
	} else if (t === 'boolean') {
		v = Boolean(v);
	} else if (t === 'array') {
		v = [v];
	}
	const en: unknown[] | undefined = Array.isArray(schema?.enum) ? schema.enum : undefined;
	if (en && !en.includes(v)) {
		const hit = en.find((e) => String(e).toLowerCase() === String(v).toLowerCase());
		if (hit !== undefined) v = hit;
		else if (types.includes('null')) v = null;
	}
	return v;
}

/**
 * Fills the properties of an object schema whose names match answer fields; recurses into nested objects
 * (so `{ output: {...} }` and n8n's `__structured__output` wrappers are filled too).
 */
export function shapeToSchema(answer: Record<string, unknown>, schema: Schema, root: Schema = schema): Record<string, unknown> {
	const s = objectBranch(schema, root);
	if (!s) return { ...answer };
	const required: string[] = Array.isArray(s.required) ? s.required : [];
	const out: Record<string, unknown> = {};
	for (const [name, raw] of Object.entries(s.properties)) {
		const prop = deref(raw, root);
		const field = fieldFor(name);
		if (field) {
			const v = coerce(answer[field], prop);
			if (v !== undefined) out[name] = v;
			else if (required.includes(name)) out[name] = emptyValueFor(prop);
			continue;
		}
		const nested = objectBranch(prop, root);
		if (nested) {
			const inner = shapeToSchema(answer, nested, root);
			if (Object.keys(inner).length > 0 || required.includes(name)) out[name] = inner;
			continue;
		}
		const itemsObj = prop && typesOf(prop).includes('array') ? objectBranch(prop.items, root) : null;
		if (itemsObj && required.includes(name)) {
			out[name] = [shapeToSchema(answer, itemsObj, root)];
			continue;
		}
		if (required.includes(name)) out[name] = emptyValueFor(prop);
	}
	return out;
}
