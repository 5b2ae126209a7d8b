'use strict';
/**
 * Small HTTP helpers shared by the API and files servers of the GMI Cloud simulator.
 * Kept free of simulator state so every handler answers the same way.
 */

/**
 * Send a JSON body with an exact Content-Length (clients that check it must not be fooled).
 * @param {import('http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string | number>} [headers]
 */
function sendJson(res, status, body, headers = {}) {
	const text = JSON.stringify(body);
	sendText(res, status, 'application/json', text, headers);
}

/**
 * Send a text body (HTML, XML, plain) with the given content type.
 * @param {import('http').ServerResponse} res
 * @param {number} status
 * @param {string} contentType
 * @param {string} text
 * @param {Record<string, string | number>} [headers]
 */
function sendText(res, status, contentType, text, headers = {}) {
	res.writeHead(status, {
		'Content-Type': contentType,
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

/**
 * Answer like Google Cloud Storage does: an XML <Error> document.
 * @param {import('http').ServerResponse} res
 * @param {number} status
 * @param {string} code e.g. SignatureDoesNotMatch, NoSuchKey
 * @param {string} message
 */
function sendGcsError(res, status, code, message) {
	const xml =
		"<?xml version='1.0' encoding='UTF-8'?>" +
		`<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
	sendText(res, status, 'application/xml; charset=UTF-8', xml);
}

/**
 * Read the whole request body. Bodies here are small JSON documents or uploads
 * of at most a few tens of MB, so buffering is fine.
 * @param {import('http').IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * Turn a raw body into what we record: parsed JSON when it is JSON, otherwise the string,
 * or null when there is no body at all.
 * @param {Buffer} raw
 * @returns {unknown}
 */
function parseBody(raw) {
	if (raw.length === 0) return null;
	const text = raw.toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

module.exports = { sendJson, sendText, sendGcsError, readBody, parseBody };
