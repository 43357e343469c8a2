/** URL checks shared by every field that takes one (checkout URLs, link buttons, API base URLs). */

/** The parsed URL, or undefined when the text is not an absolute URL. */
export function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** http: or https:, the only schemes a customer's browser, Meta or Stripe can be sent to. */
export function isHttpUrl(url: URL): boolean {
	return url.protocol === 'https:' || url.protocol === 'http:';
}
