'use strict';
/**
 * The simulated storage host (stands in for storage.googleapis.com): serves result videos
 * and thumbnails, takes presigned uploads and serves them back at their public URL.
 * It never checks auth; the recorded headers let tests assert no API key leaked to it.
 */
const crypto = require('crypto');
const fs = require('fs');
const { join } = require('path');
const { Readable, pipeline } = require('stream');
const { sendGcsError } = require('./respond');

/**
 * Content-Type a presigned PUT must carry, per file_type. Quirk seen on GMI: `jpg` needs
 * `image/jpg`; `image/jpeg` is refused with 403.
 * @type {Readonly<Record<string, string>>}
 */
const UPLOAD_CONTENT_TYPES = Object.freeze({
	png: 'image/png',
	jpg: 'image/jpg',
	jpeg: 'image/jpeg',
	mp4: 'video/mp4',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
});

/**
 * @typedef {{
 *   token: string,
 *   fileType: string,
 *   signature: string,
 *   contentType: string,
 *   data: Buffer | null,
 * }} Upload
 */

/**
 * Register a new presigned upload slot (POST /upload-url).
 * @param {Map<string, Upload>} uploads
 * @param {string} filesUrl
 * @param {string} fileType already validated key of UPLOAD_CONTENT_TYPES
 * @returns {{upload_url: string, public_url: string}}
 */
function createUpload(uploads, filesUrl, fileType) {
	const token = crypto.randomUUID();
	const signature = crypto.randomBytes(32).toString('hex');
	uploads.set(token, { token, fileType, signature, contentType: UPLOAD_CONTENT_TYPES[fileType], data: null });
	return {
		upload_url: `${filesUrl}/upload/${token}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=${signature}`,
		public_url: `${filesUrl}/public/${token}.${fileType}`,
	};
}

// --- video content -------------------------------------------------------------------------

const CHUNK_SIZE = 64 * 1024;
/** Repeating pattern with a period (256) that divides CHUNK_SIZE, so every chunk is the same buffer. */
const PATTERN_CHUNK = Buffer.alloc(CHUNK_SIZE, 0);
for (let i = 0; i < CHUNK_SIZE; i++) PATTERN_CHUNK[i] = (i * 7 + 13) & 0xff;
/** First chunk starts with an MP4 `ftyp` box so sniffers see a video. */
const FIRST_CHUNK = Buffer.from(PATTERN_CHUNK);
Buffer.from('00000018' + '66747970' + '69736f6d' + '00000200' + '69736f6d' + '6d703431', 'hex').copy(FIRST_CHUNK, 0);

/**
 * Deterministic video bytes in 64 KiB chunks; shares two preallocated buffers, so serving
 * many large videos at once costs no memory per video.
 * @param {number} size
 * @returns {Generator<Buffer>}
 */
function* videoChunks(size) {
	for (let offset = 0; offset < size; offset += CHUNK_SIZE) {
		const base = offset === 0 ? FIRST_CHUNK : PATTERN_CHUNK;
		const length = Math.min(CHUNK_SIZE, size - offset);
		yield length === CHUNK_SIZE ? base : base.subarray(0, length);
	}
}

/**
 * The exact bytes the files server sends for a video of `size` bytes (for assertions; small sizes only).
 * @param {number} size
 * @returns {Buffer}
 */
function videoContent(size) {
	return Buffer.concat([...videoChunks(size)]);
}

/**
 * Real media made once with ffmpeg (samples/make.sh): a 6 s H.264 MP4 that n8n's player plays, its
 * thumbnail, and an image the image-to-video example can fetch offline. Keyed by the path under
 * /samples/ on the files server.
 * @type {Readonly<Record<string, {contentType: string, data: Buffer}>>}
 */
const SAMPLES = Object.freeze({
	'sample.mp4': { contentType: 'video/mp4', data: fs.readFileSync(join(__dirname, 'samples', 'sample.mp4')) },
	'thumbnail.jpg': { contentType: 'image/jpeg', data: fs.readFileSync(join(__dirname, 'samples', 'thumbnail.jpg')) },
	'first-frame.jpg': { contentType: 'image/jpeg', data: fs.readFileSync(join(__dirname, 'samples', 'first-frame.jpg')) },
});
const SAMPLE_VIDEO = SAMPLES['sample.mp4'].data;
const THUMBNAIL_JPEG = SAMPLES['thumbnail.jpg'].data;

// --- request handling ----------------------------------------------------------------------

/**
 * @typedef {{
 *   jobs: Map<string, import('./jobs').Job>,
 *   uploads: Map<string, Upload>,
 * }} FilesState
 */

/**
 * Handle one files-server request (already recorded and checked for faults).
 * @param {FilesState} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {URL} url
 * @param {Buffer} rawBody
 */
function handleFiles(state, req, res, url, rawBody) {
	const method = req.method || 'GET';
	const path = url.pathname;
	let m;
	if (method === 'PUT' && (m = /^\/upload\/([^/]+)$/.exec(path))) {
		return receiveUpload(state, req, res, url, decodeURIComponent(m[1]), rawBody);
	}
	if (method !== 'GET' && method !== 'HEAD') return sendGcsError(res, 405, 'MethodNotAllowed', 'Method not allowed');

	if ((m = /^\/samples\/([^/]+)$/.exec(path)) && Object.hasOwn(SAMPLES, m[1])) {
		return sendBytes(res, method, SAMPLES[m[1]].contentType, SAMPLES[m[1]].data);
	}
	if ((m = /^\/public\/([^/]+)\.([a-z0-9]+)$/i.exec(path))) {
		const upload = state.uploads.get(decodeURIComponent(m[1]));
		if (!upload || !upload.data || upload.fileType !== m[2]) return noSuchKey(res);
		return sendBytes(res, method, upload.contentType, upload.data);
	}
	if ((m = /^\/videos\/([^/]+)\/sample_0\.mp4$/.exec(path))) {
		const job = state.jobs.get(decodeURIComponent(m[1]));
		if (!job) return noSuchKey(res);
		const { videoBytes } = job.plan;
		return videoBytes === 'sample' ? sendBytes(res, method, 'video/mp4', SAMPLE_VIDEO) : streamVideo(res, method, videoBytes);
	}
	if ((m = /^\/thumbs\/([^/]+)\.jpg$/.exec(path))) {
		if (!state.jobs.has(decodeURIComponent(m[1]))) return noSuchKey(res);
		return sendBytes(res, method, 'image/jpeg', THUMBNAIL_JPEG);
	}
	return noSuchKey(res);
}

/**
 * PUT to a presigned URL: the signature and the signed Content-Type must both match,
 * otherwise GCS answers 403 SignatureDoesNotMatch.
 * @param {FilesState} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {URL} url
 * @param {string} token
 * @param {Buffer} rawBody
 */
function receiveUpload(state, req, res, url, token, rawBody) {
	const upload = state.uploads.get(token);
	const signature = url.searchParams.get('X-Goog-Signature');
	const contentType = String(req.headers['content-type'] || '').trim().toLowerCase();
	if (!upload || signature !== upload.signature || contentType !== upload.contentType) {
		return sendGcsError(
			res,
			403,
			'SignatureDoesNotMatch',
			'Access denied. The request signature we calculated does not match the signature you provided. ' +
				'Check your Google secret key and signing method.',
		);
	}
	upload.data = rawBody;
	res.writeHead(200, { 'Content-Length': 0 });
	res.end();
}

/** @param {import('http').ServerResponse} res */
function noSuchKey(res) {
	sendGcsError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
}

/**
 * @param {import('http').ServerResponse} res
 * @param {string} method
 * @param {string} contentType
 * @param {Buffer} data
 */
function sendBytes(res, method, contentType, data) {
	res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': data.length });
	res.end(method === 'HEAD' ? undefined : data);
}

/**
 * Stream `size` bytes of video with backpressure (pipeline), never holding the whole file.
 * @param {import('http').ServerResponse} res
 * @param {string} method
 * @param {number} size
 */
function streamVideo(res, method, size) {
	res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': size });
	if (method === 'HEAD') return res.end();
	// objectMode false: chunks are plain bytes. Errors (client went away) need no handling.
	pipeline(Readable.from(videoChunks(size), { objectMode: false }), res, () => {});
}

module.exports = { UPLOAD_CONTENT_TYPES, SAMPLE_VIDEO, THUMBNAIL_JPEG, createUpload, handleFiles, videoContent, videoChunks };
