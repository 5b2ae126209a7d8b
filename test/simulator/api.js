'use strict';
/**
 * Routes of the simulated GMI request-queue API (everything under API_BASE).
 * Requests arrive here already recorded and checked for faults.
 */
const crypto = require('crypto');
const { sendJson } = require('./respond');
const { isHailuoModel, modelDetail, validateHailuoPayload, buildPlan, jobRecord, jobState, shortRecord } = require('./jobs');
const { UPLOAD_CONTENT_TYPES, createUpload } = require('./files');
const { priceShapeOf, withPriceInfo } = require('./prices');

const API_BASE = '/api/v1/ie/requestqueue/apikey';
const LIST_SHAPES = ['requests', 'array', 'items', 'data', 'list', 'nototal', 'unknown', 'stringtotal', 'ignorespage'];
/** Orders GET /requests may come in: GMI documents none, so the node must check the one it gets. */
const LIST_ORDERS = ['newest-first', 'oldest-first', 'ties-shuffled'];
/** How GET /requests writes a job's times: unix seconds (seen), or ISO dates without a zone (meant as UTC). */
const LIST_TIME_FORMATS = ['unix', 'iso-no-zone'];
/** GET /models: `model_ids` is confirmed; the others are what the node must also read, or refuse loudly. */
const MODEL_LIST_SHAPES = ['model_ids', 'models', 'model-objects', 'unknown'];

/**
 * The part of the simulator state the API routes use.
 * @typedef {{
 *   apiKey: string,
 *   extraApiKeys: string[],
 *   filesUrl: string,
 *   models: string[],
 *   config: { queuedMs: number, processingMs: number, videoBytes: number, listShape: string, modelListShape: string, listLagMs: number, priceShape: import('./prices').PriceShape, modelPriceShapes: Record<string, import('./prices').PriceShape> },
 *   listBehaviour: ListBehaviour,
 *   planFn: ((payload: any, index: number) => any) | undefined,
 *   now: () => number,
 *   jobs: Map<string, import('./jobs').Job>,
 *   requestIds: string[],
 *   submitsByPrompt: Map<string, number>,
 *   uploads: Map<string, import('./files').Upload>,
 *   counters: { submits: number },
 * }} ApiState
 */

/**
 * What GET /requests does beyond its shape (see index.d.ts ListBehaviour).
 * @typedef {{ order: 'newest-first' | 'oldest-first' | 'ties-shuffled', delayMs: number, pageSizeCap: number | null, timeFormat: 'unix' | 'iso-no-zone' }} ListBehaviour
 */

/**
 * @param {ApiState} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {URL} url
 * @param {unknown} body parsed body
 */
function handleApi(state, req, res, url, body) {
	if (!url.pathname.startsWith(API_BASE + '/') && url.pathname !== API_BASE) {
		return sendJson(res, 404, { error: 'not found' });
	}
	if (![state.apiKey, ...state.extraApiKeys].some((key) => isAuthorized(req, key))) return sendJson(res, 401, { error: 'Unauthorized: invalid API key' });

	const path = apiPath(url.pathname);
	const method = req.method || 'GET';
	let m;
	if (path === '/models') return method === 'GET' ? listModels(state, res) : notAllowed(res);
	if ((m = /^\/models\/(.+)$/.exec(path))) return method === 'GET' ? getModel(state, res, m[1]) : notAllowed(res);
	if (path === '/requests') {
		if (method === 'POST') return submit(state, req, res, body);
		if (method === 'GET') return listRequests(state, res, url);
		return notAllowed(res);
	}
	if ((m = /^\/requests\/([^/]+)$/.exec(path))) return method === 'GET' ? getRequest(state, res, m[1]) : notAllowed(res);
	if (path === '/upload-url') return method === 'POST' ? uploadUrl(state, res, body) : notAllowed(res);
	return sendJson(res, 404, { error: 'not found' });
}

/**
 * Path after API_BASE, without a trailing slash ('' for the base itself).
 * @param {string} pathname
 */
function apiPath(pathname) {
	const rest = pathname.slice(API_BASE.length);
	return rest.length > 1 && rest.endsWith('/') ? rest.slice(0, -1) : rest;
}

/**
 * @param {import('http').IncomingMessage} req
 * @param {string} apiKey
 */
function isAuthorized(req, apiKey) {
	const m = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization || ''));
	return m !== null && m[1].trim() === apiKey;
}

/** @param {import('http').ServerResponse} res */
function notAllowed(res) {
	sendJson(res, 405, { error: 'method not allowed' });
}

/**
 * The nested 400 shape GMI was seen to return: `details` is a JSON string holding the specific message.
 * @param {import('http').ServerResponse} res
 * @param {string} message
 */
function invalidPayload(res, message) {
	sendJson(res, 400, {
		error: { message: 'Invalid request payload', details: JSON.stringify({ error: { message } }) },
	});
}

/**
 * Decode a path segment; a malformed escape is kept as-is rather than crashing.
 * @param {string} segment
 */
function decodeSegment(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

// --- models --------------------------------------------------------------------------------

/** @param {ApiState} state @param {import('http').ServerResponse} res */
function listModels(state, res) {
	const ids = [...state.models];
	switch (state.config.modelListShape) {
		case 'models':
			return sendJson(res, 200, { models: ids });
		case 'model-objects':
			return sendJson(res, 200, { models: ids.map((id, i) => (i % 2 ? { model_id: id, owner: 'minimax' } : { id, created: 0 })) });
		case 'unknown':
			return sendJson(res, 200, { data: { ids }, total: ids.length });
		default:
			return sendJson(res, 200, { model_ids: ids });
	}
}

/** @param {ApiState} state @param {import('http').ServerResponse} res @param {string} rawId */
function getModel(state, res, rawId) {
	const id = decodeSegment(rawId);
	if (!state.models.includes(id)) return sendJson(res, 404, { error: `model not found: ${id}` });
	sendJson(res, 200, withPriceInfo(modelDetail(id), priceShapeOf(state.config, id)));
}

// --- requests ------------------------------------------------------------------------------

/**
 * POST /requests. Every authorised submit is counted per prompt, even rejected ones, because
 * GMI keeps an audit record of rejected submits too: tests can prove the node never re-submits.
 * @param {ApiState} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {unknown} body
 */
function submit(state, req, res, body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return invalidPayload(res, 'request body must be a JSON object');
	const { model, payload } = /** @type {{model?: unknown, payload?: any}} */ (body);

	state.counters.submits += 1;
	if (payload && typeof payload.prompt === 'string') {
		state.submitsByPrompt.set(payload.prompt, (state.submitsByPrompt.get(payload.prompt) || 0) + 1);
	}

	if (typeof model !== 'string' || model === '') return invalidPayload(res, 'model is required');
	if (!state.models.includes(model)) return sendJson(res, 404, { error: `Model ${model} not found` });
	if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return invalidPayload(res, 'payload is required');
	if (isHailuoModel(model)) {
		const problem = validateHailuoPayload(model, payload);
		if (problem) return invalidPayload(res, problem);
	}

	const index = state.requestIds.length;
	/** @type {import('./jobs').Job} */
	const job = {
		id: crypto.randomUUID(),
		index,
		model,
		payload,
		orgId: String(req.headers['x-organization-id'] || 'org-sim'),
		submittedAt: state.now(),
		plan: buildPlan(state.config, model, payload, index, state.planFn),
	};
	state.jobs.set(job.id, job);
	state.requestIds.push(job.id);
	sendJson(res, 200, shortRecord(job));
}

/** @param {ApiState} state @param {import('http').ServerResponse} res @param {string} rawId */
function getRequest(state, res, rawId) {
	const job = state.jobs.get(decodeSegment(rawId));
	const record = job ? jobRecord(job, state.now(), state.filesUrl) : null;
	if (!record) return sendJson(res, 404, { error: 'request not found' });
	sendJson(res, 200, record, serverDate(state));
}

/**
 * The HTTP Date a real server sends, on the simulator's clock (which may be a test's fake one).
 * @param {ApiState} state
 */
function serverDate(state) {
	return { Date: new Date(state.now()).toUTCString() };
}

/**
 * @param {Record<string, unknown>} record
 * @param {ListBehaviour} behaviour
 * @param {import('./jobs').Job} job
 */
function asListed(record, behaviour, job) {
	const listed = job.plan.listedAs ? { ...record, status: job.plan.listedAs } : { ...record };
	if (job.plan.listedWithoutTime) {
		for (const field of ['created_at', 'queued_at', 'updated_at']) delete listed[field];
	} else if (behaviour.timeFormat === 'iso-no-zone') {
		for (const field of ['created_at', 'queued_at', 'updated_at']) {
			if (typeof listed[field] === 'number') listed[field] = new Date(Number(listed[field]) * 1000).toISOString().slice(0, 19);
		}
	}
	return listed;
}

/**
 * Jobs in the behaviour's order: by submit order (newest or oldest first), or newest second first
 * with the jobs of one second in a new random order on every request (ORDER BY created_at alone).
 * @param {import('./jobs').Job[]} jobs
 * @param {ListBehaviour} behaviour
 */
function inListOrder(jobs, behaviour) {
	if (behaviour.order === 'oldest-first') return jobs.sort((a, b) => a.index - b.index);
	if (behaviour.order === 'ties-shuffled') {
		const keyed = jobs.map((job) => ({ job, second: Math.floor(job.submittedAt / 1000), draw: Math.random() }));
		return keyed.sort((a, b) => b.second - a.second || a.draw - b.draw).map(({ job }) => job);
	}
	return jobs.sort((a, b) => b.index - a.index);
}

/**
 * GET /requests?model_id=&page=&page_size= — newest first unless listBehaviour says otherwise
 * (another order, a slow answer, a page size the server caps, dates without a zone; see
 * index.d.ts). The real shape is unknown, so it
 * is switchable (config.listShape) to prove the node against every plausible variant. A list
 * may also trail the jobs' own records (config.listLagMs: it shows each job as it was that
 * long ago, and not yet the jobs submitted since) or leave jobs out (#unlisted), as an
 * eventually consistent index would.
 * @param {ApiState} state
 * @param {import('http').ServerResponse} res
 * @param {URL} url
 */
function listRequests(state, res, url) {
	const behaviour = state.listBehaviour;
	const seenAt = state.now() - state.config.listLagMs;
	const modelId = url.searchParams.get('model_id');
	const jobs = [...state.jobs.values()].filter((job) => (!modelId || job.model === modelId) && !job.plan.unlisted && job.submittedAt <= seenAt);
	const records = inListOrder(jobs, behaviour)
		.map((job) => {
			const record = jobRecord(job, seenAt, state.filesUrl);
			// A list that contradicts the job's own record (#listed-as=failed), as a stale or buggy index would.
			return record && asListed(record, behaviour, job);
		})
		.filter((record) => record !== null);

	const headers = serverDate(state);
	/** @param {unknown} body */
	const send = (body) => (behaviour.delayMs > 0 ? setTimeout(() => !res.destroyed && sendJson(res, 200, body, headers), behaviour.delayMs) : sendJson(res, 200, body, headers));
	const asked = clampInt(url.searchParams.get('page_size'), 20, 1, 100);
	// A server may serve fewer than asked per page, and page on by what it served.
	const pageSize = behaviour.pageSizeCap ? Math.min(asked, behaviour.pageSizeCap) : asked;
	const shape = state.config.listShape;
	if (shape === 'array') return send(records);
	// A server that ignores `page` answers page 1 every time, with a total that promises more.
	if (shape === 'ignorespage') return send({ requests: records.slice(0, pageSize), total: records.length });

	const page = clampInt(url.searchParams.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
	const items = records.slice((page - 1) * pageSize, page * pageSize);
	if (shape === 'nototal') return send({ requests: items });
	if (shape === 'unknown') return send({ results: items, count: records.length });
	if (shape === 'stringtotal') return send({ requests: items, total: String(records.length), page, page_size: pageSize });
	const key = shape === 'requests' ? 'requests' : shape;
	send({ [key]: items, total: records.length, page, page_size: pageSize });
}

/**
 * @param {string | null} raw
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 */
function clampInt(raw, fallback, min, max) {
	const n = raw === null ? NaN : Number.parseInt(raw, 10);
	if (!Number.isFinite(n)) return fallback;
	return Math.min(max, Math.max(min, n));
}

// --- uploads -------------------------------------------------------------------------------

/** @param {ApiState} state @param {import('http').ServerResponse} res @param {unknown} body */
function uploadUrl(state, res, body) {
	const fileType = body && typeof body === 'object' ? /** @type {any} */ (body).file_type : undefined;
	if (typeof fileType !== 'string' || !Object.hasOwn(UPLOAD_CONTENT_TYPES, fileType)) {
		return sendJson(res, 400, { error: 'unsupported file_type' });
	}
	sendJson(res, 200, createUpload(state.uploads, state.filesUrl, fileType));
}

/**
 * Current status of every issued job (for /__sim/stats); vanished jobs report 'gone'.
 * @param {ApiState} state
 * @returns {Record<string, string>}
 */
function statuses(state) {
	const now = state.now();
	/** @type {Record<string, string>} */
	const out = {};
	for (const job of state.jobs.values()) {
		const s = jobState(job, now);
		out[job.id] = s.gone ? 'gone' : s.status;
	}
	return out;
}

module.exports = { API_BASE, LIST_SHAPES, LIST_ORDERS, LIST_TIME_FORMATS, MODEL_LIST_SHAPES, handleApi, apiPath, statuses };
