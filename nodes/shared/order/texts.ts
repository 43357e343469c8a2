/** The customer-facing texts an operator can reword in a node's options: the defaults, with every non-empty override. */
export function withOverrides<Defaults extends Record<string, string>>(
	defaults: Defaults,
	overrides: Partial<Record<string, unknown>>,
): Record<keyof Defaults, string> {
	const texts: Record<keyof Defaults, string> = { ...defaults };
	for (const key of Object.keys(defaults) as Array<keyof Defaults>) {
		const value = overrides[key as string];
		if (typeof value === 'string' && value.trim() !== '') texts[key] = value;
	}
	return texts;
}
