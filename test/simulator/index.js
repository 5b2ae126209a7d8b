'use strict';
/**
 * Local simulator of the GMI Cloud request-queue API (Hailuo video models) plus a fake
 * storage host, for the n8n-nodes-hailuo tests. See /work/shared/api/gmi-request-queue.md.
 *
 *   const sim = await startSimulator({ queuedMs: 20 });
 *   // point the node at sim.url with API key sim.apiKey, then inspect sim.requests / sim.jobs
 *   await sim.close();
 *
 * Only Node builtins; no state is global, so several simulators may run side by side.
 */
const http = require('http');
const { readBody, parseBody, sendJson } = require('./respond');
const { FaultList, applyFault } = require('./faults');
const { API_BASE, LIST_SHAPES, LIST_ORDERS, LIST_TIME_FORMATS, MODEL_LIST_SHAPES, handleApi, apiPath, statuses } = require('./api');
const { handleFiles, videoContent, SAMPLE_VIDEO, UPLOAD_CONTENT_TYPES } = require('./files');
const { HAILUO_VIDEO_MODELS, DEFAULT_MODELS, UNLISTED_HAILUO_MODEL } = require('./jobs');
const { PRICE_SHAPES, checkPriceShape, checkModelPriceShapes } = require('./prices');
const { handleMinimax } = require('./minimax');

const HOST = '127.0.0.1';
const CONTROL_PREFIX = '/__sim/';

/**
 * @typedef {import('./faults').Fault} Fault
 * @typedef {import('./jobs').Plan} Plan
 * @typedef {import('./jobs').Job} Job
 * @typedef {import('./jobs').VideoBytes} VideoBytes
 * @typedef {'requests' | 'array' | 'items' | 'data' | 'list' | 'nototal' | 'unknown' | 'stringtotal' | 'ignorespage'} ListShape
 * @typedef {'model_ids' | 'models' | 'model-objects' | 'unknown'} ModelListShape
 * @typedef {import('./prices').PriceShape} PriceShape
 * @typedef {{ queuedMs: number, processingMs: number, videoBytes: VideoBytes, listShape: ListShape, modelListShape: ModelListShape, listLagMs: number, priceShape: PriceShape, modelPriceShapes: Record<string, PriceShape> }} SimConfig
 * @typedef {{
 *   port?: number,
 *   filesPort?: number,
 *   apiKey?: string,
 *   extraApiKeys?: string[],
 *   models?: string[],
 *   queuedMs?: number,
 *   processingMs?: number,
 *   videoBytes?: VideoBytes,
 *   listShape?: ListShape,
 *   modelListShape?: ModelListShape,
 *   listLagMs?: number,
 *   priceShape?: PriceShape,
 *   modelPriceShapes?: Record<string, PriceShape>,
 *   listBehaviour?: Partial<import('./api').ListBehaviour>,
 *   plan?: (payload: any, index: number) => Partial<Plan> | undefined | void,
 *   now?: () => number,
 *   log?: (line: string) => void,
 * }} SimulatorOptions
 * @typedef {{
 *   server: 'api' | 'files',
 *   method: string,
 *   path: string,
 *   query: Record<string, string>,
 *   headers: Record<string, string | string[] | undefined>,
 *   body: unknown,
 *   at: number,
 * }} RecordedRequest
 */

class Simulator {
	/** @param {SimulatorOptions} options */
	constructor(options) {
		this.options = options;
		this.apiKey = options.apiKey ?? 'test-key';
		this.extraApiKeys = [...(options.extraApiKeys ?? [])];
		this.models = [...(options.models ?? DEFAULT_MODELS)];
		/** @type {SimConfig} */
		this.config = initialConfig(options);
		this.listBehaviour = listBehaviourOf({}, options.listBehaviour);
		this.planFn = options.plan;
		this.now = options.now ?? (() => Date.now());
		this.log = options.log ?? (() => {});

		/** @type {RecordedRequest[]} */
		this.requests = [];
		/** @type {Map<string, Job>} */
		this.jobs = new Map();
		/** @type {string[]} */
		this.requestIds = [];
		/** @type {Map<string, number>} */
		this.submitsByPrompt = new Map();
		/** @type {Map<string, import('./files').Upload>} */
		this.uploads = new Map();
		this.counters = { submits: 0 };
		this.faultList = new FaultList();

		this.url = '';
		this.filesUrl = '';
		this.baseUrl = '';
		this.apiServer = http.createServer((req, res) => this.onRequest('api', req, res));
		this.filesServer = http.createServer((req, res) => this.onRequest('files', req, res));
		/** @type {Promise<void> | null} */
		this.closing = null;
	}

	/** Pending faults, in the order they will be consumed. */
	get faults() {
		return this.faultList.items;
	}

	/** Listen on both servers; resolves once the URLs are known. */
	async listen() {
		const apiPort = await listenOn(this.apiServer, this.options.port ?? 0);
		try {
			const filesPort = await listenOn(this.filesServer, this.options.filesPort ?? 0);
			this.url = `http://${HOST}:${apiPort}`;
			this.filesUrl = `http://${HOST}:${filesPort}`;
			this.baseUrl = this.url + API_BASE;
		} catch (err) {
			await this.close();
			throw err;
		}
	}

	/**
	 * Entry point of both servers: read the body, serve control calls, record, apply faults, route.
	 * @param {'api' | 'files'} server
	 * @param {import('http').IncomingMessage} req
	 * @param {import('http').ServerResponse} res
	 */
	async onRequest(server, req, res) {
		const at = this.now();
		try {
			const url = new URL(req.url || '/', `http://${HOST}`);
			const raw = await readBody(req);
			if (server === 'api' && url.pathname.startsWith(CONTROL_PREFIX)) return this.control(req, res, url, raw);

			const method = req.method || 'GET';
			// A PUT to storage is an upload: record its size, not the bytes.
			const body =
				server === 'files' && method === 'PUT'
					? { bytes: raw.length, contentType: req.headers['content-type'] ?? null }
					: parseBody(raw);
			this.requests.push({
				server,
				method,
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: { ...req.headers },
				body,
				at,
			});
			this.log(`[sim ${server}] ${method} ${req.url}`);

			const fault = this.faultList.take(server, method, faultPath(server, url.pathname), bearerOf(req));
			if (fault) {
				this.log(`[sim ${server}] fault ${fault.kind}${fault.status ? ' ' + fault.status : ''}`);
				return applyFault(fault, res);
			}
			// MiniMax's own v1 routes (for n8n's built-in MiniMax node in bench:peer), beside GMI's.
			if (server === 'api') handleMinimax(this, req, res, url, body) || handleApi(this, req, res, url, body);
			else handleFiles(this, req, res, url, raw);
		} catch (err) {
			this.log(`[sim ${server}] internal error: ${err && /** @type {Error} */ (err).stack}`);
			if (!res.headersSent) sendJson(res, 500, { error: `simulator error: ${/** @type {Error} */ (err).message}` });
			else res.destroy();
		}
	}

	/**
	 * Unauthenticated, unrecorded control endpoints for end-to-end scripts running the
	 * simulator as a separate process.
	 * @param {import('http').IncomingMessage} req
	 * @param {import('http').ServerResponse} res
	 * @param {URL} url
	 * @param {Buffer} raw
	 */
	control(req, res, url, raw) {
		const route = `${req.method} ${url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, '')}`;
		const body = parseBody(raw);
		try {
			switch (route) {
				case 'GET requests':
					return sendJson(res, 200, this.requests);
				case 'GET stats':
					return sendJson(res, 200, this.stats());
				case 'POST faults':
					this.addFault(/** @type {any} */ (body));
					return sendJson(res, 200, { ok: true, pending: this.faults.length });
				case 'DELETE faults':
					this.clearFaults();
					return sendJson(res, 200, { ok: true });
				case 'POST reset':
					this.reset();
					return sendJson(res, 200, { ok: true });
				case 'POST config':
					this.configure(/** @type {any} */ (body) || {});
					return sendJson(res, 200, this.config);
				case 'GET config':
					return sendJson(res, 200, this.config);
				case 'POST list-behaviour':
					this.setListBehaviour(/** @type {any} */ (body) || {});
					return sendJson(res, 200, this.listBehaviour);
				case 'GET list-behaviour':
					return sendJson(res, 200, this.listBehaviour);
				default:
					return sendJson(res, 404, { error: `unknown control route: ${route}` });
			}
		} catch (err) {
			return sendJson(res, 400, { error: /** @type {Error} */ (err).message });
		}
	}

	/** @param {Fault | Fault[]} fault */
	addFault(fault) {
		this.faultList.add(fault);
	}

	clearFaults() {
		this.faultList.clear();
	}

	/** @param {ListShape} shape */
	setListShape(shape) {
		this.configure({ listShape: shape });
	}

	/**
	 * Order, delay, page-size cap and time format of GET /requests, from now on.
	 * @param {Partial<import('./api').ListBehaviour>} patch
	 */
	setListBehaviour(patch) {
		this.listBehaviour = listBehaviourOf(this.listBehaviour, patch);
	}

	/** @param {SimulatorOptions['plan']} planFn applies to jobs submitted from now on */
	setPlan(planFn) {
		this.planFn = planFn;
	}

	/**
	 * Change defaults for jobs submitted from now on, the list shapes and the price shapes.
	 * @param {Partial<SimConfig>} patch
	 */
	configure(patch) {
		const next = { ...this.config };
		for (const key of /** @type {const} */ (['queuedMs', 'processingMs', 'videoBytes', 'listLagMs'])) {
			if (patch[key] === undefined) continue;
			if (key === 'videoBytes' && patch[key] === 'sample') {
				next[key] = 'sample';
				continue;
			}
			const value = Number(patch[key]);
			if (!Number.isFinite(value) || value < 0) throw new Error(`${key} must be a number >= 0`);
			next[key] = value;
		}
		if (patch.listShape !== undefined) next.listShape = checkListShape(patch.listShape);
		if (patch.modelListShape !== undefined) next.modelListShape = checkModelListShape(patch.modelListShape);
		if (patch.priceShape !== undefined) next.priceShape = checkPriceShape(patch.priceShape);
		if (patch.modelPriceShapes !== undefined) next.modelPriceShapes = checkModelPriceShapes(patch.modelPriceShapes);
		this.config = next;
	}

	/**
	 * Forget everything that happened: requests, jobs, uploads, faults, counters. Config and the
	 * plan function go back to the start options, so one test's tweaks never leak into the next.
	 */
	reset() {
		this.requests.length = 0;
		this.jobs.clear();
		this.requestIds.length = 0;
		this.submitsByPrompt.clear();
		this.uploads.clear();
		this.counters.submits = 0;
		this.faultList.clear();
		this.config = initialConfig(this.options);
		this.listBehaviour = listBehaviourOf({}, this.options.listBehaviour);
		this.planFn = this.options.plan;
	}

	/**
	 * Current status of a job ('gone' once vanished), or undefined for an unknown id.
	 * @param {string} id
	 */
	statusOf(id) {
		return this.jobs.has(id) ? statuses(this)[id] : undefined;
	}

	/** Summary used by GET /__sim/stats. */
	stats() {
		return {
			submits: this.counters.submits,
			submitsByPrompt: Object.fromEntries(this.submitsByPrompt),
			requestIds: [...this.requestIds],
			statuses: statuses(this),
			filesRequestsWithAuth: this.requests.filter((r) => r.server === 'files' && r.headers.authorization !== undefined)
				.length,
		};
	}

	/** Close both servers, destroying open (even hanging) connections so it resolves at once. */
	close() {
		if (!this.closing) {
			this.closing = Promise.all([closeServer(this.apiServer), closeServer(this.filesServer)]).then(() => {});
		}
		return this.closing;
	}
}

/**
 * The key a request carries, so faults can hit one account only.
 * @param {import('http').IncomingMessage} req
 */
function bearerOf(req) {
	const m = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization || ''));
	return m ? m[1].trim() : undefined;
}

/** @param {SimulatorOptions} options @returns {SimConfig} */
function initialConfig(options) {
	return {
		queuedMs: options.queuedMs ?? 50,
		processingMs: options.processingMs ?? 150,
		videoBytes: options.videoBytes ?? 4096,
		listShape: checkListShape(options.listShape ?? 'requests'),
		modelListShape: checkModelListShape(options.modelListShape ?? 'model_ids'),
		listLagMs: options.listLagMs ?? 0,
		priceShape: checkPriceShape(options.priceShape ?? 'none'),
		modelPriceShapes: checkModelPriceShapes(options.modelPriceShapes ?? {}),
	};
}

/**
 * A checked list behaviour: `patch` over `base` over the defaults (newest first, at once, uncapped, unix times).
 * @param {Partial<import('./api').ListBehaviour>} base
 * @param {Partial<import('./api').ListBehaviour> | undefined} patch
 * @returns {import('./api').ListBehaviour}
 */
function listBehaviourOf(base, patch) {
	const next = { order: 'newest-first', delayMs: 0, pageSizeCap: null, timeFormat: 'unix', ...base, ...(patch ?? {}) };
	if (!LIST_ORDERS.includes(next.order)) throw new Error(`order must be one of ${LIST_ORDERS.join(', ')}`);
	if (!LIST_TIME_FORMATS.includes(next.timeFormat)) throw new Error(`timeFormat must be one of ${LIST_TIME_FORMATS.join(', ')}`);
	if (!Number.isFinite(Number(next.delayMs)) || Number(next.delayMs) < 0) throw new Error('delayMs must be a number >= 0');
	if (next.pageSizeCap !== null && !(Number.isInteger(Number(next.pageSizeCap)) && Number(next.pageSizeCap) >= 1)) throw new Error('pageSizeCap must be an integer >= 1 or null');
	return /** @type {import('./api').ListBehaviour} */ ({ ...next, delayMs: Number(next.delayMs), pageSizeCap: next.pageSizeCap === null ? null : Number(next.pageSizeCap) });
}

/** @param {unknown} shape @returns {ModelListShape} */
function checkModelListShape(shape) {
	if (typeof shape !== 'string' || !MODEL_LIST_SHAPES.includes(shape)) {
		throw new Error(`modelListShape must be one of ${MODEL_LIST_SHAPES.join(', ')}`);
	}
	return /** @type {ModelListShape} */ (shape);
}

/** @param {unknown} shape @returns {ListShape} */
function checkListShape(shape) {
	if (typeof shape !== 'string' || !LIST_SHAPES.includes(shape)) {
		throw new Error(`listShape must be one of ${LIST_SHAPES.join(', ')}`);
	}
	return /** @type {ListShape} */ (shape);
}

/**
 * Path a fault's `path` is matched against: after API_BASE on the API server, full path otherwise.
 * @param {'api' | 'files'} server
 * @param {string} pathname
 */
function faultPath(server, pathname) {
	if (server === 'api' && pathname.startsWith(API_BASE)) return apiPath(pathname);
	return pathname;
}

/**
 * @param {import('http').Server} server
 * @param {number} port
 * @returns {Promise<number>} the bound port
 */
function listenOn(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		// A batch of a thousand items connects at once; the default backlog (511) would refuse some.
		server.listen({ port, host: HOST, backlog: 4096 }, () => {
			server.off('error', reject);
			resolve(/** @type {import('net').AddressInfo} */ (server.address()).port);
		});
	});
}

/** @param {import('http').Server} server @returns {Promise<void>} */
function closeServer(server) {
	return new Promise((resolve) => {
		if (!server.listening) return resolve();
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

/**
 * Start the simulator on 127.0.0.1 (API on options.port or an ephemeral port, files on another).
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	const sim = new Simulator(options);
	await sim.listen();
	return sim;
}

module.exports = {
	startSimulator,
	Simulator,
	API_BASE,
	hailuoVideoModels: HAILUO_VIDEO_MODELS,
	defaultModels: DEFAULT_MODELS,
	unlistedHailuoModel: UNLISTED_HAILUO_MODEL,
	LIST_SHAPES,
	LIST_ORDERS,
	LIST_TIME_FORMATS,
	MODEL_LIST_SHAPES,
	PRICE_SHAPES,
	UPLOAD_CONTENT_TYPES,
	SAMPLE_VIDEO,
	videoContent,
};
