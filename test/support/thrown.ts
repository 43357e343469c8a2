/** The error `run` throws, which must be an instance of `type` (anything else, or no throw, fails the test). */
export function thrownBy<E extends Error>(type: new (...args: never[]) => E, run: () => unknown): E {
	try {
		run();
	} catch (error) {
		if (error instanceof type) return error;
		throw error;
	}
	throw new Error(`expected a ${type.name}`);
}
