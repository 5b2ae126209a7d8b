'use strict';
/**
 * `price_info` of GET /models/{id}. GMI's SDK reads `{price, pricing_type, unit}` but nobody
 * documents what they hold, so the simulator serves every shape the node must read or refuse:
 * switchable for all models (config.priceShape) or per model id (config.modelPriceShapes).
 */

/**
 * @typedef {'none' | 'per-second' | 'per-video' | 'per-request' | 'string-amount' | 'no-unit' | 'unreadable' | 'tiered'} PriceShape
 */

/** What the node should make of each: the amounts are the simulator's own, not GMI's. */
const PRICE_INFO = Object.freeze({
	// USD per second of video; the currency sits in `unit`, the unit in `pricing_type`.
	'per-second': { price: 0.045, pricing_type: 'per_second', unit: 'USD' },
	// A fixed price per video with no currency anywhere: the node must not assume one.
	'per-video': { price: 0.28, pricing_type: 'fixed', unit: 'video' },
	// The amount as text with a dollar sign.
	'per-request': { price: '$0.25', pricing_type: 'per_request', unit: 'request' },
	// The amount as plain text.
	'string-amount': { price: '0.05', pricing_type: 'per_second', unit: 'second' },
	// An amount that says per nothing: no estimate can come from it.
	'no-unit': { price: 0.28 },
	// Text that is no amount.
	unreadable: { price: 'from 0.19', pricing_type: 'per_video', unit: 'video' },
	// Several prices (by resolution and duration) instead of one.
	tiered: [
		{ resolution: '768P', duration: 6, price: 0.28 },
		{ resolution: '1080P', duration: 6, price: 0.49 },
	],
});

/** @type {readonly PriceShape[]} */
const PRICE_SHAPES = Object.freeze(['none', ...Object.keys(PRICE_INFO)]);

/**
 * @param {{ priceShape: PriceShape, modelPriceShapes: Record<string, PriceShape> }} config
 * @param {string} id
 * @returns {PriceShape}
 */
function priceShapeOf(config, id) {
	return Object.hasOwn(config.modelPriceShapes, id) ? config.modelPriceShapes[id] : config.priceShape;
}

/**
 * The details with the shape's `price_info` (a copy, so a test that edits an answer changes no other).
 * @param {Record<string, unknown>} detail
 * @param {PriceShape} shape
 */
function withPriceInfo(detail, shape) {
	if (shape === 'none') return detail;
	return { ...detail, price_info: structuredClone(PRICE_INFO[/** @type {Exclude<PriceShape, 'none'>} */ (shape)]) };
}

/** @param {unknown} shape @returns {PriceShape} */
function checkPriceShape(shape) {
	if (typeof shape !== 'string' || !PRICE_SHAPES.includes(/** @type {PriceShape} */ (shape))) {
		throw new Error(`priceShape must be one of ${PRICE_SHAPES.join(', ')}`);
	}
	return /** @type {PriceShape} */ (shape);
}

/** @param {unknown} shapes @returns {Record<string, PriceShape>} */
function checkModelPriceShapes(shapes) {
	if (!shapes || typeof shapes !== 'object' || Array.isArray(shapes)) throw new Error('modelPriceShapes must be an object of model id → price shape');
	return Object.fromEntries(Object.entries(shapes).map(([id, shape]) => [id, checkPriceShape(shape)]));
}

module.exports = { PRICE_SHAPES, PRICE_INFO, priceShapeOf, withPriceInfo, checkPriceShape, checkModelPriceShapes };
