'use strict';
/**
 * MiniMax's own v1 video API, as n8n's built-in MiniMax node (`@n8n/n8n-nodes-langchain.minimax`,
 * credential `minimaxApi`) calls it, so `npm run bench:peer` can run that node on the same simulated
 * jobs as this package. Only the routes that node uses for Hailuo video (read from its source in
 * n8n 2.41.1, `nodes/vendors/MiniMax/transport/index.js`):
 *
 *   POST /v1/video_generation {model, prompt, duration, resolution, prompt_optimizer?}
 *        → {task_id, base_resp: {status_code: 0, status_msg: "success"}}
 *   GET  /v1/query/video_generation?task_id=
 *        → {task_id, status: Queueing|Preparing|Processing|Success|Fail, file_id?, base_resp}
 *   GET  /v1/files/retrieve?file_id=  → {file: {file_id, download_url, …}, base_resp}
 *   GET  /v1/files/list                the credential's test request
 *
 * MiniMax answers HTTP 200 and puts errors in `base_resp` (1004: authentication failed; 2013:
 * invalid parameters). The jobs are the simulator's own (the prompt markers such as #ms= and #fail
 * work as for GMI), kept out of GMI's job list; the video is served by the simulated storage host.
 * What MiniMax puts in `base_resp` for a failed task is not documented: the simulator answers the
 * failure reason there, where n8n's node looks for it.
 */
const { sendJson } = require('./respond');
const { buildPlan, jobState } = require('./jobs');
const { SAMPLE_VIDEO } = require('./files');

const PREFIX = '/v1/';
/** The Hailuo-era models MiniMax lists for v1 video generation (n8n's node offers these). */
const MINIMAX_VIDEO_MODELS = ['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-02', 'T2V-01-Director', 'T2V-01'];
const RESOLUTIONS = { 'minimax-hailuo-02': { 6: ['512P', '768P', '1080P'], 10: ['512P', '768P'] }, 'minimax-hailuo-2.3': { 6: ['768P', '1080P'], 10: ['768P'] } };

const ok = { status_code: 0, status_msg: 'success' };
const baseResp = (status_code, status_msg) => ({ base_resp: { status_code, status_msg } });

/**
 * Serves MiniMax's routes (paths under /v1/); returns false for every other path, which is GMI's.
 * @param {import('./api').ApiState} state
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {URL} url
 * @param {unknown} body
 */
function handleMinimax(state, req, res, url, body) {
	if (!url.pathname.startsWith(PREFIX)) return false;
	const key = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization || ''))?.[1].trim();
	if (!key || ![state.apiKey, ...state.extraApiKeys].includes(key)) {
		sendJson(res, 200, baseResp(1004, 'login fail: Please carry the API secret key in the Authorization field'));
		return true;
	}
	const route = `${req.method} ${url.pathname.replace(/\/$/, '')}`;
	if (route === 'POST /v1/video_generation') submit(state, res, body);
	else if (route === 'GET /v1/query/video_generation') query(state, res, url.searchParams.get('task_id') ?? '');
	else if (route === 'GET /v1/files/retrieve') retrieve(state, res, url.searchParams.get('file_id') ?? '');
	else if (route === 'GET /v1/files/list') sendJson(res, 200, { files: [], base_resp: ok });
	else sendJson(res, 404, baseResp(404, 'not found'));
	return true;
}

/** @param {import('./api').ApiState} state @param {import('http').ServerResponse} res @param {unknown} body */
function submit(state, res, body) {
	const b = /** @type {Record<string, unknown>} */ (body && typeof body === 'object' ? body : {});
	const prompt = typeof b.prompt === 'string' ? b.prompt : '';
	state.counters.submits += 1;
	if (prompt) state.submitsByPrompt.set(prompt, (state.submitsByPrompt.get(prompt) || 0) + 1);

	const model = String(b.model ?? '');
	if (!MINIMAX_VIDEO_MODELS.includes(model)) return sendJson(res, 200, baseResp(2013, `invalid params, model ${model} is not supported`));
	if (!prompt || prompt.length > 2000) return sendJson(res, 200, baseResp(2013, 'invalid params, prompt must be 1-2000 characters'));
	const duration = Number(b.duration ?? 6);
	const resolution = String(b.resolution ?? '768P');
	const allowed = RESOLUTIONS[/** @type {keyof typeof RESOLUTIONS} */ (model.toLowerCase())];
	if (allowed && !(allowed[/** @type {6 | 10} */ (duration)] ?? []).includes(resolution)) {
		return sendJson(res, 200, baseResp(2013, `invalid params, ${model} does not support ${resolution} at ${duration} s`));
	}

	const index = state.requestIds.length;
	// MiniMax's task ids are numeric strings; the storage host finds the video by this id.
	const id = String(300000000000000 + index);
	const payload = { prompt, duration, resolution };
	const plan = { ...buildPlan(state.config, model, payload, index, state.planFn), unlisted: true };
	state.jobs.set(id, { id, index, model, payload, orgId: 'minimax', submittedAt: state.now(), plan });
	state.requestIds.push(id);
	sendJson(res, 200, { task_id: id, base_resp: ok });
}

/** MiniMax's task statuses for the simulator's job states. */
const STATUS = { queued: 'Queueing', processing: 'Processing', success: 'Success', failed: 'Fail', cancelled: 'Fail' };

/** @param {import('./api').ApiState} state @param {import('http').ServerResponse} res @param {string} taskId */
function query(state, res, taskId) {
	const job = state.jobs.get(taskId);
	if (!job || job.orgId !== 'minimax') return sendJson(res, 200, { task_id: taskId, status: '', ...baseResp(2013, 'invalid params, task not found') });
	const { status } = jobState(job, state.now());
	const answer = { task_id: taskId, status: STATUS[/** @type {keyof typeof STATUS} */ (status)] ?? 'Processing' };
	if (status === 'success') return sendJson(res, 200, { ...answer, file_id: taskId, video_width: 1366, video_height: 768, base_resp: ok });
	if (status === 'failed' || status === 'cancelled') return sendJson(res, 200, { ...answer, ...baseResp(1026, job.plan.failureReason) });
	sendJson(res, 200, { ...answer, file_id: '', base_resp: ok });
}

/** @param {import('./api').ApiState} state @param {import('http').ServerResponse} res @param {string} fileId */
function retrieve(state, res, fileId) {
	const job = state.jobs.get(fileId);
	if (!job || job.orgId !== 'minimax' || jobState(job, state.now()).status !== 'success') {
		return sendJson(res, 200, baseResp(1026, 'file not found'));
	}
	const bytes = job.plan.videoBytes === 'sample' ? SAMPLE_VIDEO.length : job.plan.videoBytes;
	const file = {
		file_id: fileId,
		bytes,
		created_at: Math.floor(job.submittedAt / 1000),
		filename: 'output.mp4',
		purpose: 'video_generation',
		download_url: `${state.filesUrl}/videos/${fileId}/sample_0.mp4`,
	};
	sendJson(res, 200, { file, base_resp: ok });
}

module.exports = { handleMinimax, MINIMAX_VIDEO_MODELS };
