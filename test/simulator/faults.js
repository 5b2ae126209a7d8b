'use strict';
/**
 * Runtime-switchable faults: tests queue them, the servers consume them in order before
 * normal handling, so a node can be proven against every transport failure GMI may show.
 */
const { STATUS_CODES } = require('http');
const { sendJson, sendText } = require('./respond');

const FAULT_KINDS = ['429', 'status', 'html', 'reset', 'hang', 'malformed', 'empty', 'auth'];

/**
 * @typedef {{
 *   method?: string,
 *   path?: string | RegExp,
 *   server?: 'api' | 'files',
 *   kind: '429' | 'status' | 'html' | 'reset' | 'hang' | 'malformed' | 'empty' | 'auth',
 *   times?: number,
 *   retryAfter?: number,
 *   status?: number,
 *   apiKey?: string,
 * }} Fault
 * @typedef {Fault & { remaining: number }} ActiveFault
 */

/**
 * Check a fault and fill defaults. Also accepts the JSON form sent to POST /__sim/faults,
 * where a regex comes as `pathRegex` and Infinity as `"Infinity"`, `null` or a negative number.
 * @param {any} input
 * @returns {ActiveFault}
 */
function normalizeFault(input) {
	if (!input || typeof input !== 'object') throw new Error('fault must be an object');
	const kind = String(input.kind);
	if (!FAULT_KINDS.includes(kind)) throw new Error(`unknown fault kind: ${kind}`);
	const server = input.server === undefined ? 'api' : input.server;
	if (server !== 'api' && server !== 'files') throw new Error(`unknown fault server: ${server}`);

	let times = input.times === undefined ? 1 : input.times;
	if (times === null || times === 'Infinity' || (typeof times === 'number' && times < 0)) times = Infinity;
	if (typeof times !== 'number' || Number.isNaN(times)) throw new Error(`invalid fault times: ${input.times}`);

	const path = typeof input.pathRegex === 'string' ? new RegExp(input.pathRegex) : input.path;
	return {
		...input,
		kind: /** @type {Fault['kind']} */ (kind),
		server,
		path,
		method: input.method ? String(input.method).toUpperCase() : undefined,
		times,
		remaining: times,
	};
}

/** Ordered list of pending faults. */
class FaultList {
	constructor() {
		/** @type {ActiveFault[]} */
		this.items = [];
	}

	/** @param {Fault | Fault[]} fault */
	add(fault) {
		for (const f of Array.isArray(fault) ? fault : [fault]) this.items.push(normalizeFault(f));
	}

	clear() {
		this.items.length = 0;
	}

	/**
	 * Consume the first fault matching this request, if any.
	 * @param {'api' | 'files'} server
	 * @param {string} method
	 * @param {string} path path after the API base for the API server, full path for files
	 * @param {string} [apiKey] the key the request carries
	 * @returns {ActiveFault | null}
	 */
	take(server, method, path, apiKey) {
		const index = this.items.findIndex((f) => matches(f, server, method, path, apiKey));
		if (index < 0) return null;
		const fault = this.items[index];
		fault.remaining -= 1;
		if (fault.remaining <= 0) this.items.splice(index, 1);
		return fault;
	}
}

/**
 * @param {ActiveFault} f
 * @param {string} server
 * @param {string} method
 * @param {string} path
 * @param {string | undefined} apiKey
 */
function matches(f, server, method, path, apiKey) {
	if (f.server !== server) return false;
	if (f.apiKey !== undefined && f.apiKey !== apiKey) return false;
	if (f.method && f.method !== method) return false;
	if (f.path instanceof RegExp) return f.path.test(path);
	if (typeof f.path === 'string') return path.startsWith(f.path);
	return true;
}

const NGINX_HTML = (/** @type {number} */ status, /** @type {string} */ text) =>
	`<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

/**
 * Answer a request according to a fault.
 * @param {ActiveFault} fault
 * @param {import('http').ServerResponse} res
 */
function applyFault(fault, res) {
	switch (fault.kind) {
		case '429': {
			/** @type {Record<string, string>} */
			const headers = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
			return sendJson(res, 429, { error: 'rate limit exceeded' }, headers);
		}
		case 'status': {
			const status = fault.status || 500;
			// A gateway in front of GMI answers 502 with its own HTML, not JSON.
			if (status === 502) {
				return sendText(res, 502, 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>');
			}
			return sendJson(res, status, { error: 'upstream error' });
		}
		case 'html': {
			const status = fault.status || 500;
			const text = STATUS_CODES[status] || 'Error';
			return sendText(res, status, 'text/html', NGINX_HTML(status, text));
		}
		case 'reset':
			return resetMidBody(res);
		case 'hang':
			// Never answer; sim.close() destroys the socket.
			return;
		case 'malformed':
			return sendText(res, 200, 'application/json', '{"request_id": "x", "status": ');
		case 'empty':
			return sendText(res, 200, 'application/json', '');
		case 'auth':
			return sendJson(res, 401, { error: 'Unauthorized: invalid API key' });
	}
}

/**
 * Send headers and the start of a body that promises more, then reset the connection.
 * @param {import('http').ServerResponse} res
 */
function resetMidBody(res) {
	res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 512 });
	res.write('{"request_id": "', () => {
		// Give the bytes a moment to reach the client, then reset (RST) rather than a clean FIN.
		setTimeout(() => {
			const socket = /** @type {any} */ (res.socket);
			if (!socket) return;
			if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
			else socket.destroy();
		}, 5);
	});
}

module.exports = { FAULT_KINDS, FaultList, normalizeFault, applyFault };
