/**
 * Stripe's languages for the pages it hosts, by code ("auto" follows the customer's browser). Checkout and the
 * Customer Portal accept nearly the same list; the third column marks a code only one of them takes.
 */
type StripeLanguage = readonly [code: string, name: string, onlyOn?: 'checkout' | 'portal'];

const STRIPE_LANGUAGES: readonly StripeLanguage[] = [
	['auto', 'Auto (Customer Browser)'],
	['bg', 'Bulgarian'],
	['cs', 'Czech'],
	['da', 'Danish'],
	['de', 'German'],
	['el', 'Greek'],
	['en', 'English'],
	['en-AU', 'English (Australia)', 'portal'],
	['en-CA', 'English (Canada)', 'portal'],
	['en-GB', 'English (United Kingdom)'],
	['en-IE', 'English (Ireland)', 'portal'],
	['en-IN', 'English (India)', 'portal'],
	['en-NZ', 'English (New Zealand)', 'portal'],
	['en-SG', 'English (Singapore)', 'portal'],
	['es', 'Spanish'],
	['es-419', 'Spanish (Latin America)'],
	['et', 'Estonian'],
	['fi', 'Finnish'],
	['fil', 'Filipino'],
	['fr', 'French'],
	['fr-CA', 'French (Canada)'],
	['hi-IN', 'Hindi', 'checkout'],
	['hr', 'Croatian'],
	['hu', 'Hungarian'],
	['id', 'Indonesian'],
	['it', 'Italian'],
	['ja', 'Japanese'],
	['ko', 'Korean'],
	['lt', 'Lithuanian'],
	['lv', 'Latvian'],
	['ms', 'Malay'],
	['mt', 'Maltese'],
	['nb', 'Norwegian Bokmål'],
	['nl', 'Dutch'],
	['pl', 'Polish'],
	['pt', 'Portuguese'],
	['pt-BR', 'Portuguese (Brazil)'],
	['ro', 'Romanian'],
	['ru', 'Russian'],
	['sk', 'Slovak'],
	['sl', 'Slovenian'],
	['sv', 'Swedish'],
	['th', 'Thai'],
	['tr', 'Turkish'],
	['vi', 'Vietnamese'],
	['zh', 'Chinese (Simplified)'],
	['zh-HK', 'Chinese (Hong Kong)'],
	['zh-TW', 'Chinese (Traditional)'],
];

const languagesOf = (page: 'checkout' | 'portal') =>
	STRIPE_LANGUAGES.filter(([, , onlyOn]) => onlyOn === undefined || onlyOn === page).map(([value, name]) => ({ name, value }));

/** The Checkout page's languages, as options of a UI list. */
export const CHECKOUT_LOCALE_OPTIONS = languagesOf('checkout');

/** The Customer Portal's languages (Stripe's billing_portal locales), as options of a UI list. */
export const PORTAL_LOCALE_OPTIONS = languagesOf('portal');
