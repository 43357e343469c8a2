/**
 * A fresh copy of one of the pack's modules, with its own module state (its own Redis connection, its own
 * "stopping" flag…): what another n8n process (a second webhook host, another worker) has loaded.
 * Pass the module's absolute path: `moduleAsAnotherProcess<typeof import('…')>(require.resolve('…'))`.
 */
export function moduleAsAnotherProcess<Module extends object>(absolutePath: string): Module {
	let copy: Module | undefined;
	jest.isolateModules(() => {
		copy = jest.requireActual<Module>(absolutePath);
	});
	return copy as Module;
}
