/** The answer of POST /v1/responses: one response object, or its typed events with `stream: true`. */
import { randomId } from '../http';
import { chunks, type Answering, type Completion } from './completion';

export function answerResponse(c: Completion, answering: Answering): void {
	const { body, model, out, created } = c;
	const respId = randomId('resp_SIM', 40);
	const usage = {
		input_tokens: c.promptTokens,
		input_tokens_details: { cached_tokens: 0 },
		output_tokens: c.completionTokens,
		output_tokens_details: { reasoning_tokens: 0 },
		total_tokens: c.promptTokens + c.completionTokens,
	};
	const message = out.kind === 'text'
		? { id: randomId('msg_SIM', 40), type: 'message', status: 'completed', content: [{ type: 'output_text', annotations: [], logprobs: [], text: out.text }], role: 'assistant' }
		: null;
	const call = out.kind === 'tool'
		? { id: randomId('fc_SIM', 40), type: 'function_call', status: 'completed', arguments: out.args, call_id: randomId('call_SIM', 20), name: out.name }
		: null;
	const item = message ?? call;
	const responseObject = (status: 'in_progress' | 'completed', output: unknown[]) => ({
		id: respId,
		object: 'response',
		created_at: created,
		status,
		background: false,
		error: null,
		incomplete_details: null,
		instructions: body.instructions ?? null,
		max_output_tokens: body.max_output_tokens ?? null,
		model,
		output,
		parallel_tool_calls: body.parallel_tool_calls ?? true,
		previous_response_id: body.previous_response_id ?? null,
		reasoning: { effort: null, summary: null },
		service_tier: 'default',
		store: body.store ?? true,
		temperature: body.temperature ?? 1,
		text: body.text ?? { format: { type: 'text' }, verbosity: 'medium' },
		tool_choice: body.tool_choice ?? 'auto',
		tools: body.tools ?? [],
		top_p: body.top_p ?? 1,
		truncation: body.truncation ?? 'disabled',
		usage: status === 'completed' ? usage : null,
		user: null,
		metadata: body.metadata ?? {},
		...(status === 'completed' ? { output_text: out.kind === 'text' ? out.text : '' } : {}),
	});
	if (!body.stream) {
		answering.reply(200, responseObject('completed', [item]));
		return;
	}

	const res = answering.openStream();
	let seq = 0;
	const emit = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
	emit('response.created', { response: responseObject('in_progress', []) });
	emit('response.in_progress', { response: responseObject('in_progress', []) });
	if (message && out.kind === 'text') {
		const at = { item_id: message.id, output_index: 0, content_index: 0 };
		emit('response.output_item.added', { output_index: 0, item: { ...message, status: 'in_progress', content: [] } });
		emit('response.content_part.added', { ...at, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
		for (const piece of chunks(out.text)) emit('response.output_text.delta', { ...at, delta: piece, logprobs: [] });
		emit('response.output_text.done', { ...at, text: out.text, logprobs: [] });
		emit('response.content_part.done', { ...at, part: message.content[0] });
	} else if (call) {
		emit('response.output_item.added', { output_index: 0, item: { ...call, status: 'in_progress', arguments: '' } });
		for (const piece of chunks(call.arguments)) emit('response.function_call_arguments.delta', { item_id: call.id, output_index: 0, delta: piece });
		emit('response.function_call_arguments.done', { item_id: call.id, output_index: 0, arguments: call.arguments });
	}
	emit('response.output_item.done', { output_index: 0, item });
	emit('response.completed', { response: responseObject('completed', [item]) });
	res.end();
}
