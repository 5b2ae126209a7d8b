import { isRecord } from './records';

/**
 * A model's price as GMI states it in its details (`price_info`). GMI's Python SDK reads
 * `{price, pricing_type, unit}`, but what those hold is not documented (see
 * shared/api/gmi-request-queue.md). So this reads only what is unambiguous and otherwise says
 * why it can't: a wrong estimate is worse than none, because users decide what to spend on it.
 */

/** What one `amount` buys. `request`, `second` and `video` are understood; any other unit is GMI's word, kept as text. */
export type PriceUnit = 'request' | 'second' | 'video' | (string & {});

export interface KnownPrice {
	known: true;
	/** In `currency`, per `per`; never negative. */
	amount: number;
	/** 'USD' (also when GMI writes "$"), another code or GMI's own word; null when price_info does not say. */
	currency: string | null;
	per: PriceUnit;
	/** GMI's `price_info` exactly as it came. */
	raw: unknown;
}

export interface UnknownPrice {
	known: false;
	/** 'absent' when the details carry no price_info; otherwise a sentence saying what could not be read. */
	reason: string;
	/** GMI's `price_info` exactly as it came; null when absent. */
	raw: unknown;
}

export type Price = KnownPrice | UnknownPrice;

export const ABSENT = 'absent';

const UNITS: Record<string, 'request' | 'second' | 'video'> = {
	s: 'second',
	sec: 'second',
	secs: 'second',
	second: 'second',
	seconds: 'second',
	'video second': 'second',
	'video seconds': 'second',
	'output second': 'second',
	video: 'video',
	videos: 'video',
	generation: 'video',
	clip: 'video',
	request: 'request',
	requests: 'request',
	req: 'request',
	call: 'request',
	'api call': 'request',
};

/** Codes a currency may be written in; anything else three letters long ("sec", "req") is a unit. */
const CURRENCY_CODES = ['USD', 'EUR', 'GBP', 'CNY', 'JPY', 'CAD', 'AUD', 'SGD', 'HKD', 'KRW', 'INR'];

/** A pricing_type that announces several prices (by resolution, duration, …) makes its single `price` no estimate. */
const VARYING_PRICING = /tier|dynamic|variable|range|varies|custom|quote|depend/i;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const quote = (value: unknown): string => {
	const json = JSON.stringify(value);
	return json === undefined ? String(value) : json.length > 120 ? `${json.slice(0, 120)}…` : json;
};

function currencyOf(value: string): string | undefined {
	const word = value.trim().replace(/\.$/, '');
	if (/^(\$|us\$|usd|us ?dollars?|dollars?)$/i.test(word)) return 'USD';
	if (/^(rmb|¥|yuan)$/i.test(word)) return 'CNY';
	if (/^€$/.test(word)) return 'EUR';
	if (/^credits?$/i.test(word)) return 'credits';
	const code = word.toUpperCase();
	return CURRENCY_CODES.includes(code) ? code : undefined;
}

/**
 * What a unit text names. `perRequired`: a pricing_type names a unit only when it says "per X" or
 * is a unit word itself ("fixed" or "usage" name none); a `unit` field's text is a unit whatever it says.
 */
function unitOf(value: string, perRequired: boolean): PriceUnit | undefined {
	const words = value.toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
	const per = /^(?:per|\/|each)\s*(?:1\s+)?(.+)$/.exec(words);
	const rest = per ? per[1].trim() : words;
	if (UNITS[rest]) return UNITS[rest];
	if (perRequired && !per) return undefined;
	return rest || undefined;
}

interface Reading {
	amount?: number;
	currencies: string[];
	units: PriceUnit[];
	problem?: string;
}

const AMOUNT_TEXT = /^(?:(\$|US\$|[A-Za-z]{3})\s*)?(\d+(?:\.\d+)?|\.\d+)\s*(\$|(?!per\b)[A-Za-z]{3,}\b)?\s*(?:(?:\/|\bper\b)\s*(.+))?$/i;

/** "0.05", "$0.28", "0.05 USD", "USD 0.05", "$0.045/s", "$0.28 per video". A comma (thousands or decimal?) is not guessed. */
function readAmountText(value: string, reading: Reading): void {
	const match = AMOUNT_TEXT.exec(value.trim());
	const before = match?.[1] ? currencyOf(match[1]) : undefined;
	const after = match?.[3] ? currencyOf(match[3]) : undefined;
	if (!match || (match[1] && !before) || (match[3] && !after)) {
		reading.problem = `the price ${quote(value)} is not a plain amount`;
		return;
	}
	reading.amount = Number(match[2]);
	for (const currency of [before, after]) if (currency) reading.currencies.push(currency);
	if (match[4]) {
		const unit = unitOf(match[4], false);
		if (unit) reading.units.push(unit);
	}
}

function readAmount(value: unknown, reading: Reading): void {
	if (typeof value === 'number') {
		if (Number.isFinite(value) && value >= 0) reading.amount = value;
		else reading.problem = `the price ${quote(value)} is not an amount`;
	} else if (typeof value === 'string') {
		readAmountText(value, reading);
	} else if (isRecord(value) && (value.amount !== undefined || value.value !== undefined)) {
		readAmount(value.amount ?? value.value, reading);
		readCurrencyField(value.currency, reading);
		readUnitField(value.unit, reading);
	} else {
		reading.problem = value === undefined || value === null ? 'it states no price' : `the price ${quote(value)} is not an amount`;
	}
}

function readCurrencyField(value: unknown, reading: Reading): void {
	const word = text(value);
	if (word) reading.currencies.push(currencyOf(word) ?? word);
}

/** `unit` was seen in GMI's SDK without its meaning: it may name a currency ("USD"), a unit ("second") or both ("USD/second"). */
function readUnitField(value: unknown, reading: Reading): void {
	const word = text(value);
	if (!word) return;
	const both = /^(.+?)\s*(?:\/|\bper\b)\s*(.+)$/i.exec(word);
	const currency = currencyOf(both ? both[1] : word);
	if (both && currency) {
		reading.currencies.push(currency);
		const unit = unitOf(both[2], false);
		if (unit) reading.units.push(unit);
	} else if (currency) {
		reading.currencies.push(currency);
	} else {
		const unit = unitOf(word, false);
		if (unit) reading.units.push(unit);
	}
}

function readPricingType(value: unknown, reading: Reading): void {
	const word = text(value);
	if (!word) return;
	if (VARYING_PRICING.test(word)) {
		reading.problem = `pricing_type ${quote(word)} says the price varies`;
		return;
	}
	const unit = unitOf(word, true);
	if (unit) reading.units.push(unit);
}

const distinct = <T>(values: T[]): T[] => [...new Set(values)];

function readPriceInfo(info: unknown): Price {
	const unreadable = (why: string): Price => ({ known: false, reason: `GMI's price_info could not be read: ${why}`, raw: info });
	if (Array.isArray(info)) return unreadable(`it lists ${info.length} prices (by resolution or duration?), not one`);
	const reading: Reading = { currencies: [], units: [] };
	if (typeof info === 'string' || typeof info === 'number') {
		readAmount(info, reading);
	} else if (isRecord(info)) {
		readAmount(info.price ?? info.amount, reading);
		readCurrencyField(info.currency, reading);
		readUnitField(info.unit, reading);
		readPricingType(info.pricing_type, reading);
	} else {
		return unreadable(`it is ${quote(info)}`);
	}
	if (reading.problem) return unreadable(reading.problem);
	const units = distinct(reading.units);
	const currencies = distinct(reading.currencies);
	if (units.length === 0) return unreadable('it does not say per what (request, second, video)');
	if (units.length > 1) return unreadable(`it names several units (${units.join(', ')})`);
	if (currencies.length > 1) return unreadable(`it names several currencies (${currencies.join(', ')})`);
	if (reading.amount === undefined) return unreadable('it states no amount');
	return { known: true, amount: reading.amount, currency: currencies[0] ?? null, per: units[0], raw: info };
}

/**
 * The price in a model's details (`GET /models/{id}`): known when amount and unit are unambiguous,
 * otherwise unknown with the reason, and `raw` always GMI's own `price_info`.
 */
export function priceOf(details: unknown): Price {
	const info = isRecord(details) ? details.price_info : undefined;
	if (info === undefined || info === null) return { known: false, reason: ABSENT, raw: null };
	return readPriceInfo(info);
}

/** Keeps float noise (0.045 × 6 = 0.26999999999999996) out of item JSON and hints; far below a cent. */
const round = (amount: number): number => Math.round(amount * 1e9) / 1e9;

/**
 * What one job is estimated to cost, in the price's currency: per second × duration (in seconds),
 * per video or request × 1. Undefined when the price is unknown, its unit is another one, or a
 * per-second price meets no duration: never a number the price does not support.
 */
export function estimateCost(price: Price, job: { duration?: number }): number | undefined {
	if (!price.known) return undefined;
	if (price.per === 'video' || price.per === 'request') return price.amount;
	if (price.per === 'second') {
		const duration = job.duration;
		return typeof duration === 'number' && Number.isFinite(duration) && duration > 0 ? round(price.amount * duration) : undefined;
	}
	return undefined;
}

/** The sum of the jobs' estimates; undefined when any one of them has none. */
export function estimateTotal(price: Price, jobs: ReadonlyArray<{ duration?: number }>): number | undefined {
	let total = 0;
	for (const job of jobs) {
		const cost = estimateCost(price, job);
		if (cost === undefined) return undefined;
		total += cost;
	}
	return round(total);
}

/** "$0.28", "0.28 EUR", "0.28" (no currency stated): small amounts keep their digits, larger ones show cents. */
export function formatAmount(amount: number, currency: string | null): string {
	const digits = amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: amount > 0 && amount < 1 ? 6 : 2 });
	if (currency === 'USD') return `$${digits}`;
	return currency ? `${digits} ${currency}` : digits;
}

/** For an output field or a hint: "about $0.28 per video (GMI's price_info)", or why the price is unknown. */
export function formatPrice(price: Price): string {
	if (price.known) {
		const source = price.currency === null ? "GMI's price_info, currency not stated" : "GMI's price_info";
		return `about ${formatAmount(price.amount, price.currency)} per ${price.per} (${source})`;
	}
	if (price.reason === ABSENT) return "price unknown (GMI's model details state none)";
	return `price unknown (${price.reason})`;
}

const jobsText = (count: number): string => `${count} job${count === 1 ? '' : 's'}`;

/**
 * One line for a batch of jobs of one model: "about $0.28 per video (GMI's price_info), 12 jobs ≈ $3.36".
 * When the price or a job's duration leaves the total open, it says so instead of a number.
 */
export function formatTotal(price: Price, jobs: ReadonlyArray<{ duration?: number }>): string {
	if (!price.known) return `${jobsText(jobs.length)}, ${formatPrice(price)}`;
	const total = estimateTotal(price, jobs);
	if (total === undefined) {
		const why = price.per === 'second' ? 'a job has no duration' : `GMI prices per ${price.per}`;
		return `${formatPrice(price)}, ${jobsText(jobs.length)}: total unknown (${why})`;
	}
	const seconds = price.per === 'second' ? ` (${round(jobs.reduce((sum, job) => sum + (job.duration ?? 0), 0))} s of video)` : '';
	return `${formatPrice(price)}, ${jobsText(jobs.length)}${seconds} ≈ ${formatAmount(total, price.currency)}`;
}

/**
 * One hint for a run whose items may use several models: a `formatTotal` line per model, and the
 * sum when every model's total is known in one currency.
 */
export function formatBatchTotal(groups: ReadonlyArray<{ model: string; price: Price; jobs: ReadonlyArray<{ duration?: number }> }>): string {
	const lines = groups.map((group) => `${group.model}: ${formatTotal(group.price, group.jobs)}`);
	if (groups.length < 2) return lines.join('');
	const totals = groups.flatMap((group) => {
		const total = estimateTotal(group.price, group.jobs);
		return total === undefined ? [] : [total];
	});
	const currencies = distinct(groups.map((group) => (group.price.known ? group.price.currency : undefined)));
	const summable = totals.length === groups.length && currencies.length === 1 && currencies[0] !== undefined;
	const all = summable ? `total ≈ ${formatAmount(round(totals.reduce((a, b) => a + b, 0)), currencies[0] ?? null)}` : 'total unknown';
	return `${lines.join('; ')}; ${all}`;
}
