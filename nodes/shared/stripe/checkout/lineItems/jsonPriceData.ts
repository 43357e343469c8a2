/**
 * `price_data` of a JSON line item, checked field by field in Stripe's own shape: exactly one of product /
 * product_data, exactly one of unit_amount (minor units) / unit_amount_decimal, optional recurring.
 */
import type Stripe from 'stripe';

import { currencyDecimals, normaliseCurrency } from '../../amounts';
import { CheckoutInputError, describeValue } from '../../inputError';
import { absoluteUrl, checkKnownKeys, exactlyOne, objectOf, recurringOf, requiredText, stringList } from '../fields';
import type { CheckoutMode } from '../limits';
import { validatedMetadataObject } from '../metadata';

const PRICE_DATA_FIELDS = ['currency', 'product', 'product_data', 'unit_amount', 'unit_amount_decimal', 'recurring', 'tax_behavior'];
const PRODUCT_DATA_FIELDS = ['name', 'description', 'images', 'metadata', 'tax_code', 'unit_label'];

export interface BuiltPriceData {
	priceData: Stripe.Checkout.SessionCreateParams.LineItem.PriceData;
	currency: string;
	unitAmount?: number;
	name?: string;
	interval?: string;
}

type Fields = Record<string, unknown>;

/** `product` (an ID) or `product_data` (name, images, metadata …); returns the product's name when given. */
function productFields(value: Fields, field: string): { fields: Fields; name?: string } {
	exactlyOne(value, 'product', '(a prod_… ID)', 'product_data', field);
	if (value.product !== undefined) return { fields: { product: requiredText(value.product, `${field}.product`) } };
	const productData = objectOf(value.product_data, `${field}.product_data`);
	checkKnownKeys(productData, PRODUCT_DATA_FIELDS, `${field}.product_data`);
	const name = requiredText(productData.name, `${field}.product_data.name`);
	const images = productData.images === undefined ? undefined : stringList(productData.images, `${field}.product_data.images`);
	images?.forEach((image, index) => absoluteUrl(image, `${field}.product_data.images[${index}]`, true));
	const product_data = {
		...productData,
		name,
		...(productData.metadata !== undefined && {
			metadata: validatedMetadataObject(productData.metadata, `${field}.product_data.metadata`),
		}),
	};
	return { fields: { product_data }, name };
}

/** `unit_amount` (whole minor units, last digit 0 for three-decimal currencies) or `unit_amount_decimal`. */
function amountFields(value: Fields, currency: string, field: string): { fields: Fields; unitAmount?: number } {
	exactlyOne(value, 'unit_amount', '(integer, minor units)', 'unit_amount_decimal', field);
	if (value.unit_amount !== undefined) {
		const amount = value.unit_amount;
		if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
			throw new CheckoutInputError(
				`${field}.unit_amount`,
				`${describeValue(amount)} is not a whole number of minor units (cents): 19.99 USD is 1999`,
			);
		}
		if (currencyDecimals(currency) === 3 && amount % 10 !== 0) {
			throw new CheckoutInputError(
				`${field}.unit_amount`,
				`${amount} ${currency.toUpperCase()}: Stripe requires the last of the three minor digits to be 0`,
			);
		}
		return { fields: { unit_amount: amount }, unitAmount: amount };
	}
	const decimal = value.unit_amount_decimal;
	const text = typeof decimal === 'number' ? String(decimal) : decimal;
	if (typeof text !== 'string' || !/^\d+(\.\d{1,12})?$/.test(text)) {
		throw new CheckoutInputError(
			`${field}.unit_amount_decimal`,
			`${describeValue(decimal)} is not a decimal amount in minor units with at most 12 decimals`,
		);
	}
	return { fields: { unit_amount_decimal: text } };
}

function recurringFields(value: Fields, mode: CheckoutMode, field: string): { fields: Fields; interval?: string } {
	if (value.recurring === undefined) return { fields: {} };
	if (mode === 'payment') {
		throw new CheckoutInputError(`${field}.recurring`, 'recurring prices need Mode set to Subscription');
	}
	const given = objectOf(value.recurring, `${field}.recurring`);
	checkKnownKeys(given, ['interval', 'interval_count'], `${field}.recurring`);
	const recurring = recurringOf(given.interval ?? '', given.interval_count, `${field}.recurring`);
	return { fields: { recurring }, interval: recurring.interval };
}

export function jsonPriceData(value: unknown, mode: CheckoutMode, field: string): BuiltPriceData {
	const given = objectOf(value, field);
	checkKnownKeys(given, PRICE_DATA_FIELDS, field);
	const currency = normaliseCurrency(given.currency, `${field}.currency`);
	const product = productFields(given, field);
	const amount = amountFields(given, currency, field);
	const recurring = recurringFields(given, mode, field);
	const priceData: Fields = { currency, ...product.fields, ...amount.fields, ...recurring.fields };
	if (given.tax_behavior !== undefined) priceData.tax_behavior = requiredText(given.tax_behavior, `${field}.tax_behavior`);
	return {
		priceData: priceData as unknown as Stripe.Checkout.SessionCreateParams.LineItem.PriceData,
		currency,
		unitAmount: amount.unitAmount,
		name: product.name,
		interval: recurring.interval,
	};
}
