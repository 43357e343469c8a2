/** Reading OpenAI requests: the conversation (chat messages or Responses API input) and the tool to call. */
import type { OpenAiBody } from './types';

export type OpenAiApi = 'chat' | 'responses';

export interface Turn {
	role: string;
	text: string;
}

/** A function the client offers; `parameters` is its JSON schema. */
export interface OfferedTool {
	name: string;
	parameters: unknown;
}

/** The text of a message's content: a string, or the text parts of a list, one a line. */
function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((p: unknown) => {
				if (typeof p === 'string') return p;
				if (p && typeof p === 'object') {
					const part = p as Record<string, unknown>;
					if (typeof part.text === 'string') return part.text;
				}
				return '';
			})
			.filter(Boolean)
			.join('\n');
	}
	return '';
}

/** Normalizes chat-completions messages or Responses API input into role/text pairs. */
export function conversation(body: OpenAiBody, api: OpenAiApi): Turn[] {
	const out: Turn[] = [];
	if (api === 'chat') {
		for (const m of Array.isArray(body.messages) ? body.messages : []) {
			if (!m || typeof m !== 'object') continue;
			out.push({ role: String(m.role ?? 'user'), text: contentText(m.content) });
		}
		return out;
	}
	if (typeof body.instructions === 'string') out.push({ role: 'system', text: body.instructions });
	if (typeof body.input === 'string') {
		out.push({ role: 'user', text: body.input });
		return out;
	}
	for (const item of Array.isArray(body.input) ? body.input : []) {
		if (!item || typeof item !== 'object') continue;
		if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') {
			out.push({ role: 'tool', text: typeof item.output === 'string' ? item.output : JSON.stringify(item.output ?? '') });
		} else if (item.type === 'function_call') {
			out.push({ role: 'assistant', text: '' });
		} else if (item.role !== undefined) {
			out.push({ role: String(item.role), text: contentText(item.content) });
		}
	}
	return out;
}

/** The tool the request forces (tool_choice), else the first offered; null when none is offered or allowed. */
export function chooseTool(body: OpenAiBody, api: OpenAiApi): OfferedTool | null {
	const tools = Array.isArray(body.tools) ? body.tools : [];
	const fns: OfferedTool[] = [];
	for (const t of tools) {
		if (!t || typeof t !== 'object') continue;
		if (api === 'chat' && t.type === 'function' && t.function && typeof t.function.name === 'string') fns.push({ name: t.function.name, parameters: t.function.parameters ?? {} });
		if (api === 'responses' && t.type === 'function' && typeof t.name === 'string') fns.push({ name: t.name, parameters: t.parameters ?? {} });
	}
	if (!fns.length) return null;
	const tc = body.tool_choice;
	if (tc === 'none') return null;
	if (tc && typeof tc === 'object') {
		const wanted = tc.function?.name ?? tc.name;
		const hit = fns.find((f) => f.name === wanted);
		if (hit) return hit;
	}
	return fns[0];
}

/** The JSON schema a structured-output request asks the content to follow, if any. */
export function contentSchema(body: OpenAiBody, api: OpenAiApi): unknown {
	if (api === 'chat' && body.response_format && body.response_format.type === 'json_schema') return body.response_format.json_schema?.schema ?? null;
	if (api === 'responses' && body.text && body.text.format && body.text.format.type === 'json_schema') return body.text.format.schema ?? null;
	return null;
}

export const tokensOf = (text: string): number => Math.max(1, Math.ceil(text.length / 4));
