import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ALLOWED_VALUE_FIELDS, MODEL_DETAILS_CACHE_MS, MODEL_ID_FIELDS, MODEL_LIST_FIELDS, PATHS } from './api';
import { type Price, priceOf } from './price';
import { isRecord } from './records';
import { apiBaseUrl, gmiRequest, jsonBody, type RunContext } from './transport';

/**
 * The model ids of a `GET /models` answer: `{"model_ids": [...]}` or `{"models": [...]}`, each entry
 * an id or an object carrying one. Any other wrapper is an error naming what GMI sent instead.
 */
export function modelIdsOf(node: INode, body: unknown): string[] {
	const list = isRecord(body) ? MODEL_LIST_FIELDS.map((key) => body[key]).find(Array.isArray) : Array.isArray(body) ? body : undefined;
	if (!list) {
		const found = isRecord(body) ? Object.keys(body) : [];
		throw new NodeOperationError(node, `GMI answered the model list in an unknown shape (keys: ${found.length ? found.join(', ') : 'none'})`, {
			description: `Expected {"model_ids": [...]} or {"models": [...]}. GMI answered: ${JSON.stringify(body)?.slice(0, 300) ?? String(body)}`,
		});
	}
	return list.flatMap((entry: unknown) => {
		if (typeof entry === 'string') return entry.trim() ? [entry.trim()] : [];
		if (!isRecord(entry)) return [];
		const id = MODEL_ID_FIELDS.map((key) => entry[key]).find((value) => typeof value === 'string' && value.trim());
		return typeof id === 'string' ? [id.trim()] : [];
	});
}

/** One parameter a model accepts, as `GET /models/{id}` describes it (its field names vary). */
export interface ModelParameter {
	name: string;
	type: string | null;
	required: boolean;
	/** The accepted values, when the model declares them (an enum); null when it does not. */
	allowedValues: Array<string | number | boolean> | null;
	default: unknown;
	description: string | null;
}

const asScalar = (value: unknown): string | number | boolean | undefined => {
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
	if (isRecord(value)) return asScalar(value.value ?? value.id ?? value.name);
	return undefined;
};

function normaliseParameter(name: string, spec: IDataObject, requiredNames: readonly unknown[]): ModelParameter {
	const list = ALLOWED_VALUE_FIELDS.map((key) => spec[key]).find(Array.isArray);
	const allowed = list?.map(asScalar).filter((v): v is string | number | boolean => v !== undefined);
	const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
	return {
		name,
		type: text(spec.type),
		required: spec.required === true || requiredNames.includes(name),
		allowedValues: allowed?.length ? allowed : null,
		default: spec.default ?? null,
		description: text(spec.description),
	};
}

/**
 * The `parameters` of a model's details, normalised. They were seen as a list of
 * `{name, type, required, options, …}`; a map by name and a JSON schema (`properties` plus
 * `required`) are read too. Anything else gives no parameters rather than an error.
 */
export function modelParametersOf(details: unknown): ModelParameter[] {
	const parameters = isRecord(details) ? details.parameters : undefined;
	if (Array.isArray(parameters)) {
		return parameters.flatMap((spec) => (isRecord(spec) && typeof spec.name === 'string' ? [normaliseParameter(spec.name, spec, [])] : []));
	}
	if (!isRecord(parameters)) return [];
	const schema = isRecord(parameters.properties) ? parameters.properties : parameters;
	const required = Array.isArray(parameters.required) ? parameters.required : [];
	return Object.entries(schema).flatMap(([name, spec]) => (isRecord(spec) ? [normaliseParameter(name, spec, required)] : []));
}

/** What a model's own details say about its payload and price. */
export interface ModelDetails {
	parameters: string[];
	/** The parameters the model marks as required (e.g. `first_frame_image` on an image-to-video model). */
	required: string[];
	allowed: Partial<Record<string, ReadonlyArray<string | number | boolean>>>;
	/**
	 * Its `price_info`, read by `priceOf`; unknown with the reason when the details could not be read.
	 * Shared by every caller for a minute (cached): copy it before putting it into item output.
	 */
	price: Price;
}

const detailsCache = new Map<string, { until: number; details: Promise<ModelDetails | string> }>();

/** The details, or why they could not be read. */
async function readModelDetails(ctx: RunContext, model: string): Promise<ModelDetails | string> {
	try {
		const response = await gmiRequest.call(ctx, 'GET', PATHS.model(model), { abortSignal: ctx.getExecutionCancelSignal() });
		if (response.statusCode >= 400) return `HTTP ${response.statusCode}`;
		const body = jsonBody(response.body);
		if (!isRecord(body)) return 'the answer is no JSON object';
		const parameters = modelParametersOf(body);
		return {
			parameters: parameters.map((p) => p.name),
			required: parameters.filter((p) => p.required).map((p) => p.name),
			allowed: Object.fromEntries(parameters.flatMap((p) => (p.allowedValues ? [[p.name, p.allowedValues]] : []))),
			price: priceOf(body),
		};
	} catch (error) {
		// Only the error's code: a message could quote the request, and this reason reaches item output.
		const code = isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
		return code ? `the request failed: ${code}` : 'the request failed';
	}
}

/**
 * A model's details, read once per model (and account) for a minute. Details that can't be read
 * or list nothing give no parameters and no values: the rules table decides then, never an error;
 * their price is unknown, naming why.
 */
export async function modelDetailsOf(ctx: RunContext, model: string): Promise<ModelDetails> {
	const { baseURL, headers } = await apiBaseUrl.call(ctx);
	const key = JSON.stringify([baseURL, headers['X-Organization-ID'] ?? '', model]);
	const now = Date.now();
	for (const [old, entry] of detailsCache) if (entry.until <= now) detailsCache.delete(old);
	let entry = detailsCache.get(key);
	if (!entry) {
		entry = { until: now + MODEL_DETAILS_CACHE_MS, details: readModelDetails(ctx, model) };
		detailsCache.set(key, entry);
	}
	const details = await entry.details;
	if (typeof details !== 'string') return details;
	// An unreadable answer is not remembered: the next execution asks again.
	if (detailsCache.get(key) === entry) detailsCache.delete(key);
	return { parameters: [], required: [], allowed: {}, price: { known: false, reason: `GMI's model details could not be read (${details})`, raw: null } };
}
