/**
 * gmi/price.ts over shapes the simulator does not serve: GMI's `price_info` is undocumented, so
 * every reading must be exact where the shape is plain and "unknown" (with the reason) where it
 * is not. No wrong number, ever: a user decides what to spend on it.
 */
import { estimateCost, estimateTotal, formatBatchTotal, formatPrice, formatTotal, type Price, priceOf } from '../../nodes/gmi/price';

const known = (amount: number, currency: string | null, per: string) => expect.objectContaining({ known: true, amount, currency, per });
const unknown = (reason: RegExp) => expect.objectContaining({ known: false, reason: expect.stringMatching(reason) });

describe('priceOf: what GMI states, normalised', () => {
	test.each([
		['SDK fields, currency in unit', { price: 0.045, pricing_type: 'per_second', unit: 'USD' }, known(0.045, 'USD', 'second')],
		['unit names currency and unit', { price: 0.045, unit: 'USD/second' }, known(0.045, 'USD', 'second')],
		['unit "$/s"', { price: 0.045, unit: '$/s' }, known(0.045, 'USD', 'second')],
		['unit "usd per video"', { price: 0.28, unit: 'usd per video' }, known(0.28, 'USD', 'video')],
		['unit and pricing_type agree', { price: 0.28, pricing_type: 'per_video', unit: 'video' }, known(0.28, null, 'video')],
		['pricing_type is the unit word', { price: 0.25, pricing_type: 'request' }, known(0.25, null, 'request')],
		['"fixed" names no unit, unit does', { price: 0.28, pricing_type: 'fixed', unit: 'videos' }, known(0.28, null, 'video')],
		['amount text with $ and unit', { price: '$0.045/s' }, known(0.045, 'USD', 'second')],
		['amount text with code after', { price: '0.28 USD', unit: 'video' }, known(0.28, 'USD', 'video')],
		['amount text with code before', { price: 'USD 0.28', pricing_type: 'per_video' }, known(0.28, 'USD', 'video')],
		['amount text "per video"', { price: '$0.28 per video' }, known(0.28, 'USD', 'video')],
		['a currency field', { price: 0.2, currency: 'eur', unit: 'video' }, known(0.2, 'EUR', 'video')],
		['an amount object', { price: { amount: 0.28, currency: 'USD' }, unit: 'video' }, known(0.28, 'USD', 'video')],
		['credits', { price: 5, unit: 'credits', pricing_type: 'per_video' }, known(5, 'credits', 'video')],
		['a free model', { price: 0, unit: 'request' }, known(0, null, 'request')],
		['another unit, kept as GMI wrote it', { price: 2, pricing_type: 'per_million_tokens' }, known(2, null, 'million tokens')],
		['the whole price_info as text', '$0.28 per video', known(0.28, 'USD', 'video')],
	])('%s', (_name, info, expected) => {
		expect(priceOf({ model: 'm', price_info: info })).toEqual(expected);
	});

	test('raw is GMI’s price_info itself', () => {
		const info = { price: 0.28, pricing_type: 'per_video', unit: 'video', region: 'us' };
		expect(priceOf({ price_info: info }).raw).toBe(info);
	});
});

describe('priceOf: unknown, saying why', () => {
	test.each([
		['no details', undefined],
		['details without price_info', { model: 'm' }],
		['price_info null', { price_info: null }],
	])('%s → absent', (_name, details) => {
		expect(priceOf(details)).toEqual({ known: false, reason: 'absent', raw: null });
	});

	test.each([
		['a bare number', 0.28, /does not say per what/],
		['no unit anywhere', { price: 0.28, pricing_type: 'fixed' }, /does not say per what/],
		['an empty unit', { price: 0.28, unit: ' ' }, /does not say per what/],
		['two units', { price: 0.28, pricing_type: 'per_request', unit: 'second' }, /several units \(second, request\)/],
		['two currencies', { price: '$0.28', currency: 'EUR', unit: 'video' }, /several currencies \(USD, EUR\)/],
		['a price that varies', { price: 0.28, pricing_type: 'tiered', unit: 'video' }, /pricing_type "tiered" says the price varies/],
		['a decimal comma', { price: '0,05', unit: 'second' }, /"0,05" is not a plain amount/],
		['a thousands comma', { price: '1,000', unit: 'request' }, /"1,000" is not a plain amount/],
		['a range', { price: '0.19-0.49', unit: 'video' }, /not a plain amount/],
		['an unknown currency word', { price: '0.28 bananas', unit: 'video' }, /not a plain amount/],
		['a negative amount', { price: -0.28, unit: 'video' }, /-0.28 is not an amount/],
		['a boolean', { price: true, unit: 'video' }, /true is not an amount/],
		['no price field', { cost: 0.28, unit: 'video' }, /states no price/],
		['several prices', [{ price: 0.28 }, { price: 0.49 }], /lists 2 prices/],
		['a boolean price_info', true, /it is true/],
	])('%s', (_name, info, reason) => {
		const price = priceOf({ price_info: info });
		expect(price).toEqual(unknown(reason));
		expect(price).toEqual(expect.objectContaining({ raw: info }));
		expect((price as { amount?: unknown }).amount).toBeUndefined();
	});
});

const usdPerVideo: Price = { known: true, amount: 0.28, currency: 'USD', per: 'video', raw: {} };
const usdPerSecond: Price = { known: true, amount: 0.045, currency: 'USD', per: 'second', raw: {} };
const perRequestNoCurrency: Price = { known: true, amount: 0.25, currency: null, per: 'request', raw: {} };
const perToken: Price = { known: true, amount: 2, currency: 'USD', per: 'million tokens', raw: {} };
const absent: Price = { known: false, reason: 'absent', raw: null };
const unreadable: Price = { known: false, reason: "GMI's price_info could not be read: it lists 2 prices (by resolution or duration?), not one", raw: [] };

describe('estimateCost: one job', () => {
	test.each([
		['per second × duration', usdPerSecond, { duration: 10 }, 0.45],
		['per second × 6 s, without float noise', usdPerSecond, { duration: 6 }, 0.27],
		['per second, no duration', usdPerSecond, {}, undefined],
		['per second, duration 0', usdPerSecond, { duration: 0 }, undefined],
		['per second, negative duration', usdPerSecond, { duration: -6 }, undefined],
		['per second, NaN duration', usdPerSecond, { duration: Number.NaN }, undefined],
		['per video, whatever the duration', usdPerVideo, { duration: 10 }, 0.28],
		['per request', perRequestNoCurrency, {}, 0.25],
		['another unit', perToken, { duration: 6 }, undefined],
		['absent', absent, { duration: 6 }, undefined],
		['unreadable', unreadable, { duration: 6 }, undefined],
	])('%s', (_name, price, job, expected) => {
		expect(estimateCost(price, job)).toBe(expected);
	});

	test('a total is the sum, or undefined when one job has no estimate', () => {
		expect(estimateTotal(usdPerSecond, [{ duration: 6 }, { duration: 10 }, { duration: 6 }])).toBe(0.99);
		expect(estimateTotal(usdPerSecond, [{ duration: 6 }, {}])).toBeUndefined();
		expect(estimateTotal(usdPerVideo, [])).toBe(0);
	});
});

describe('formatting for hints', () => {
	test('a price', () => {
		expect(formatPrice(usdPerVideo)).toBe("about $0.28 per video (GMI's price_info)");
		expect(formatPrice(usdPerSecond)).toBe("about $0.045 per second (GMI's price_info)");
		expect(formatPrice(perRequestNoCurrency)).toBe("about 0.25 per request (GMI's price_info, currency not stated)");
		expect(formatPrice({ ...usdPerVideo, currency: 'EUR', amount: 1234.5 })).toBe("about 1,234.50 EUR per video (GMI's price_info)");
		expect(formatPrice(absent)).toBe("price unknown (GMI's model details state none)");
		expect(formatPrice(unreadable)).toBe("price unknown (GMI's price_info could not be read: it lists 2 prices (by resolution or duration?), not one)");
	});

	test('a batch of one model', () => {
		const twelve = Array.from({ length: 12 }, () => ({ duration: 6 }));
		expect(formatTotal(usdPerVideo, twelve)).toBe("about $0.28 per video (GMI's price_info), 12 jobs ≈ $3.36");
		expect(formatTotal(usdPerSecond, [{ duration: 6 }, { duration: 10 }])).toBe("about $0.045 per second (GMI's price_info), 2 jobs (16 s of video) ≈ $0.72");
		expect(formatTotal(perRequestNoCurrency, [{}])).toBe("about 0.25 per request (GMI's price_info, currency not stated), 1 job ≈ 0.25");
		expect(formatTotal(usdPerSecond, [{ duration: 6 }, {}])).toBe("about $0.045 per second (GMI's price_info), 2 jobs: total unknown (a job has no duration)");
		expect(formatTotal(perToken, [{}])).toBe("about $2.00 per million tokens (GMI's price_info), 1 job: total unknown (GMI prices per million tokens)");
		expect(formatTotal(absent, twelve)).toBe("12 jobs, price unknown (GMI's model details state none)");
		expect(formatTotal(unreadable, twelve)).not.toMatch(/≈|\$/);
	});

	test('a batch of several models: a line each, and the sum only when every total is known in one currency', () => {
		const a = { model: 'Minimax-Hailuo-02', price: usdPerVideo, jobs: [{ duration: 6 }, { duration: 6 }] };
		const b = { model: 'Minimax-Hailuo-2.3', price: usdPerSecond, jobs: [{ duration: 10 }] };
		expect(formatBatchTotal([a])).toBe("Minimax-Hailuo-02: about $0.28 per video (GMI's price_info), 2 jobs ≈ $0.56");
		expect(formatBatchTotal([a, b])).toBe(
			"Minimax-Hailuo-02: about $0.28 per video (GMI's price_info), 2 jobs ≈ $0.56; Minimax-Hailuo-2.3: about $0.045 per second (GMI's price_info), 1 job (10 s of video) ≈ $0.45; total ≈ $1.01",
		);
		expect(formatBatchTotal([a, { ...b, price: absent }])).toMatch(/; total unknown$/);
		expect(formatBatchTotal([a, { ...b, price: perRequestNoCurrency }])).toMatch(/; total unknown$/);
	});
});
