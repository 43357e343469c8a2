import type { IHookFunctions } from 'n8n-workflow';

/**
 * Lifecycle of a webhook whose URL the operator registers by hand (Meta's App Dashboard, Stripe's
 * Dashboard): nothing to check, create or delete from n8n. A Meta app has a single callback URL, so taking
 * it over from a node would break every other workflow on the same app.
 */
export const operatorManagedWebhook = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		return true;
	},
	async create(this: IHookFunctions): Promise<boolean> {
		return true;
	},
	async delete(this: IHookFunctions): Promise<boolean> {
		return true;
	},
};
