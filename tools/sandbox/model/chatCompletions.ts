/** The answer of POST /v1/chat/completions: one chat.completion, or its chunks with `stream: true`. */
import { randomId } from '../http';
import { chunks, type Answering, type Completion } from './completion';

export function answerChatCompletion(c: Completion, answering: Answering): void {
	const { body, model, out, legacyFunction, created } = c;
	const id = randomId('chatcmpl-SIM', 24);
	const callId = randomId('call_SIM', 20);
	const usage = {
		prompt_tokens: c.promptTokens,
		completion_tokens: c.completionTokens,
		total_tokens: c.promptTokens + c.completionTokens,
		prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
		completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
	};
	const finish = out.kind === 'tool' ? (legacyFunction ? 'function_call' : 'tool_calls') : 'stop';
	if (!body.stream) {
		const message: Record<string, unknown> = { role: 'assistant', content: out.kind === 'text' ? out.text : null, refusal: null, annotations: [] };
		if (out.kind === 'tool' && legacyFunction) message.function_call = { name: out.name, arguments: out.args };
		else if (out.kind === 'tool') message.tool_calls = [{ id: callId, type: 'function', function: { name: out.name, arguments: out.args } }];
		answering.reply(200, {
			id,
			object: 'chat.completion',
			created,
			model,
			choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
			usage,
			service_tier: 'default',
			system_fingerprint: 'fp_llmsim',
		});
		return;
	}
	const res = answering.openStream();
	const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
		id,
		object: 'chat.completion.chunk',
		created,
		model,
		service_tier: 'default',
		system_fingerprint: 'fp_llmsim',
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
	});
	const write = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
	if (out.kind === 'text') {
		write(chunk({ role: 'assistant', content: '', refusal: null }, null));
		for (const piece of chunks(out.text)) write(chunk({ content: piece }, null));
	} else if (legacyFunction) {
		write(chunk({ role: 'assistant', content: null, function_call: { name: out.name, arguments: '' }, refusal: null }, null));
		for (const piece of chunks(out.args)) write(chunk({ function_call: { arguments: piece } }, null));
	} else {
		write(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: callId, type: 'function', function: { name: out.name, arguments: '' } }], refusal: null }, null));
		for (const piece of chunks(out.args)) write(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
	}
	write(chunk({}, finish));
	if (body.stream_options && body.stream_options.include_usage) {
		write({ id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_llmsim', choices: [], usage });
	}
	res.end('data: [DONE]\n\n');
}
