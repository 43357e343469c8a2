/** OpenAI's error bodies, worded as the real API words them, so clients and n8n show what they would. */

const error = (message: string, type: string, code: string | null, param: string | null = null) => ({ error: { message, type, param, code } });

/** The default body of a queued failure (failNext) with this status. */
export function openAiError(status: number): unknown {
	if (status === 401) return error('Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key');
	if (status === 429) return error('Rate limit reached for requests. Please try again in 1s.', 'requests', 'rate_limit_exceeded');
	if (status >= 500) return error('The server had an error while processing your request. Sorry about that!', 'server_error', null);
	return error('Simulated error', 'invalid_request_error', null);
}

/** 401 for a wrong or missing key; the key is masked as OpenAI masks it. */
export function apiKeyError(given: string): unknown {
	return given
		? error(
				`Incorrect API key provided: ${given.slice(0, 3)}${'*'.repeat(Math.max(0, given.length - 7))}${given.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
				'invalid_request_error',
				'invalid_api_key',
			)
		: error(
				"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
				'invalid_request_error',
				null,
			);
}

export const modelNotFound = (id: string) => error(`The model '${id}' does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
export const invalidUrl = (method: string, pathname: string) => error(`Invalid URL (${method} ${pathname})`, 'invalid_request_error', null);
export const unparsableBody = () =>
	error("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", 'invalid_request_error', null);
export const missingParameter = (name: string) => error(`Missing required parameter: '${name}'.`, 'invalid_request_error', 'missing_required_parameter', name);
