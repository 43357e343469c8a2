/**
 * The n8n settings the README recommends for this pack ("Recommended n8n settings"), as environment variables.
 * The sandbox (`npm start`) runs n8n with them and the bench measures them as "recommended" (see the README's
 * Benchmarks for the figures that chose them).
 */
export const RECOMMENDED_N8N_ENV = Object.freeze({
	// An expression isolate only when an expression really needs one (n8n's default: one per execution, one per
	// webhook call of any node but its own Webhook node, one per credential lookup).
	N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
});
