'use strict';
/**
 * Models, payload validation, per-job plans and the job lifecycle of the simulator.
 * Everything here is pure (time is passed in), so the servers only glue it to HTTP.
 */

/** Hailuo video model ids the simulator treats as Hailuo (validated payload, video outcome). */
const HAILUO_VIDEO_MODELS = Object.freeze([
	'Minimax-Hailuo-02',
	'Minimax-Hailuo-2.3',
	'Minimax-Hailuo-2.3-Fast',
	// Some clients report the lower-case slug as accepted; the node must cope with both.
	'minimax-hailuo-02',
]);

/**
 * A Hailuo model GMI might add before the node knows it (not listed unless a test asks for it):
 * its details declare narrower values, in a JSON-schema shape, and it refuses anything else.
 */
const UNLISTED_HAILUO_MODEL = 'Minimax-Hailuo-Next';

/**
 * What the simulated GMI accepts per Hailuo model (ids compared in lower case). Where the sources
 * disagree it takes a side, so tests see both outcomes of a contested rule: 2.3 renders 512P (as
 * GMI's page lists), 2.3-Fast refuses text-only jobs (as MiniMax documents it).
 * @type {Record<string, {durations: Record<number, string[]>, firstFrameRequired: string[], lastFrame: string[]}>}
 */
const MODEL_RULES = {
	'minimax-hailuo-02': { durations: { 6: ['512P', '768P', '1080P'], 10: ['512P', '768P'] }, firstFrameRequired: ['512P'], lastFrame: ['768P', '1080P'] },
	'minimax-hailuo-2.3': { durations: { 6: ['512P', '768P', '1080P'], 10: ['512P', '768P'] }, firstFrameRequired: [], lastFrame: [] },
	'minimax-hailuo-2.3-fast': { durations: { 6: ['768P', '1080P'], 10: ['768P'] }, firstFrameRequired: ['768P', '1080P'], lastFrame: [] },
	'minimax-hailuo-next': { durations: { 6: ['768P'] }, firstFrameRequired: [], lastFrame: [] },
};

/** @param {string} model */
const rulesOf = (model) => MODEL_RULES[model.toLowerCase()] ?? MODEL_RULES['minimax-hailuo-02'];

/** Default GET /models answer: Hailuo ids mixed with unrelated models the node must filter out. */
const DEFAULT_MODELS = Object.freeze([
	...HAILUO_VIDEO_MODELS,
	'DeepSeek-R1',
	'Qwen3-Coder',
	'Veo3',
	'ElevenLabs-TTS-v3',
]);

const RESOLUTIONS = ['512P', '768P', '1080P'];
const FAILURE_FIELDS = [
	'error_message',
	'error',
	'outcome.error',
	'outcome.message',
	'outcome.error_message',
	'outcome.fail_reason',
];
const DEFAULT_FAILURE_REASON = 'Video generation failed: content moderation';
const RATE_LIMIT_REASON = 'rate limit exceeded, please retry later';

/**
 * @param {string} id
 * @returns {boolean}
 */
function isHailuoModel(id) {
	return /hailuo/i.test(id);
}

/**
 * What a model produces; drives GET /models/{id} and the default outcome shape.
 * @param {string} id
 * @returns {{input: string[], output: string[]}}
 */
function modalitiesOf(id) {
	if (isHailuoModel(id)) return { input: ['text', 'image'], output: ['video'] };
	if (/veo|wan|kling|video/i.test(id)) return { input: ['text'], output: ['video'] };
	if (/tts|audio|speech/i.test(id)) return { input: ['text'], output: ['audio'] };
	return { input: ['text'], output: ['text'] };
}

/**
 * Parameter list of a Hailuo model's details, in the shape GMI was seen to use: each accepted
 * value list under `options`.
 * @param {string} id
 */
function hailuoParameters(id) {
	const rules = rulesOf(id);
	const durations = Object.keys(rules.durations).map(Number);
	const resolutions = RESOLUTIONS.filter((r) => durations.some((d) => rules.durations[d].includes(r)));
	return [
		{ name: 'prompt', display_name: 'Prompt', description: 'Text description of the video, 1-2000 characters. Camera moves in brackets, e.g. [Pan left].', type: 'string', required: true },
		{ name: 'duration', display_name: 'Duration', description: 'Video length in seconds.', type: 'integer', required: false, default: 6, options: durations },
		{ name: 'resolution', display_name: 'Resolution', description: 'Output resolution.', type: 'string', required: false, default: '768P', options: resolutions },
		{ name: 'first_frame_image', display_name: 'First Frame Image', description: 'URL of the image used as the first frame.', type: 'string', required: rules.firstFrameRequired.length === resolutions.length },
		...(rules.lastFrame.length
			? [{ name: 'last_frame_image', display_name: 'Last Frame Image', description: 'URL of the image used as the last frame.', type: 'string', required: false }]
			: []),
		{ name: 'prompt_optimizer', display_name: 'Prompt Optimizer', description: 'Let the model rewrite the prompt for better results.', type: 'boolean', required: false, default: true },
		{ name: 'fast_pretreatment', display_name: 'Fast Pretreatment', description: 'Shorten prompt optimisation.', type: 'boolean', required: false, default: false },
	];
}

/** The unlisted model describes its parameters as a JSON schema with `enum`s: the node must read that too. */
const NEXT_PARAMETERS = Object.freeze({
	type: 'object',
	properties: {
		prompt: { type: 'string', description: 'Text description of the video.' },
		duration: { type: 'integer', enum: [6], default: 6 },
		resolution: { type: 'string', enum: [{ value: '768P', label: '768P' }], default: '768P' },
		first_frame_image: { type: 'string' },
	},
	required: ['prompt'],
});

/**
 * Body of GET /models/{id}.
 * @param {string} id
 */
function modelDetail(id) {
	const hailuo = isHailuoModel(id);
	return {
		model: id,
		org_id: 'org-sim',
		brief_description: hailuo ? 'MiniMax Hailuo text/image to video' : `${id} (simulated)`,
		detailed_description: hailuo
			? 'MiniMax Hailuo generates 6 or 10 second videos from a prompt and an optional first frame.'
			: `Simulated model ${id}.`,
		modalities: modalitiesOf(id),
		parameters: !hailuo
			? [{ name: 'prompt', display_name: 'Prompt', description: 'Input text.', type: 'string', required: true }]
			: id.toLowerCase() === UNLISTED_HAILUO_MODEL.toLowerCase()
				? NEXT_PARAMETERS
				: hailuoParameters(id),
	};
}

/**
 * Validate a Hailuo payload against the model's rules, answering as GMI would.
 * @param {string} model
 * @param {unknown} payload
 * @returns {string | null} the specific error message, or null when valid
 */
function validateHailuoPayload(model, payload) {
	if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return 'payload must be an object';
	const p = /** @type {Record<string, unknown>} */ (payload);
	const rules = rulesOf(model);

	if (typeof p.prompt !== 'string' || p.prompt.length === 0) return 'prompt is required';
	// Count characters (code points), not UTF-16 units, as a user would.
	if (Array.from(p.prompt).length > 2000) return 'prompt must be at most 2000 characters';

	const duration = p.duration === undefined ? 6 : p.duration;
	const durations = Object.keys(rules.durations).map(Number);
	if (typeof duration !== 'number' || !durations.includes(duration)) {
		return `duration must be one of ${durations.join(', ')} for ${model}, got ${JSON.stringify(p.duration)}`;
	}

	const resolution = p.resolution === undefined ? '768P' : p.resolution;
	const allowed = rules.durations[duration];
	if (typeof resolution !== 'string' || !allowed.includes(resolution)) {
		return `resolution ${JSON.stringify(p.resolution)} is not supported for ${model} at duration ${duration} (supported: ${allowed.join(', ')})`;
	}

	for (const key of ['first_frame_image', 'last_frame_image']) {
		const img = p[key];
		if (img !== undefined && (typeof img !== 'string' || !/^(https?:\/\/|data:image\/)/i.test(img))) {
			return `${key} must be an http(s) URL or a data:image/ URI`;
		}
	}
	if (p.first_frame_image === undefined && rules.firstFrameRequired.includes(resolution)) {
		return `first_frame_image is required for ${model} at ${resolution}`;
	}
	if (p.last_frame_image !== undefined && !rules.lastFrame.includes(resolution)) {
		return `last_frame_image is not supported for ${model} at ${resolution}`;
	}

	for (const flag of ['prompt_optimizer', 'fast_pretreatment']) {
		if (p[flag] !== undefined && typeof p[flag] !== 'boolean') return `${flag} must be a boolean`;
	}
	return null;
}

/**
 * @typedef {'success' | 'failed' | 'cancelled' | 'never'} Final
 * @typedef {number | 'sample'} VideoBytes a size in bytes of placeholder video, or the real sample MP4
 * @typedef {{
 *   queuedMs: number,
 *   processingMs: number,
 *   final: Final,
 *   failureField: string,
 *   failureReason: string,
 *   outcome: 'video' | 'media' | 'none',
 *   answerWithoutId?: boolean,
 *   recordWithoutStatus?: boolean,
 *   extraStatuses: string[],
 *   extraStatusMs: number,
 *   disappearAfterMs: number | null,
 *   videoBytes: VideoBytes,
 *   unlisted: boolean,
 *   listedAs: string | null,
 *   listedWithoutTime?: boolean,
 * }} Plan
 */

/**
 * Read the behaviour markers of a prompt, so real n8n workflows can drive the simulator
 * without code. Markers are case-insensitive and may appear anywhere.
 * @param {string} prompt
 * @param {{queuedMs: number}} base used by #vanish (disappears once queued time is over)
 * @returns {Partial<Plan>}
 */
function planFromPrompt(prompt, base) {
	/** @type {Partial<Plan>} */
	const plan = {};
	// "(?![\w-])" keeps #fail from matching #failfield=... and similar.
	const has = (/** @type {string} */ tag) => new RegExp(`#${tag}(?![\\w-])`, 'i').test(prompt);
	const num = (/** @type {string} */ tag) => {
		const m = new RegExp(`#${tag}=(\\d+)`, 'i').exec(prompt);
		return m ? Number(m[1]) : undefined;
	};

	const field = /#failfield=([\w.]+)/i.exec(prompt);
	if (field && FAILURE_FIELDS.includes(field[1].toLowerCase())) plan.failureField = field[1].toLowerCase();
	if (has('ratelimit')) plan.failureReason = RATE_LIMIT_REASON;
	// A failure field or reason only makes sense on a failed job, so they imply #fail.
	if (has('fail') || has('ratelimit') || plan.failureField) plan.final = 'failed';
	if (has('cancel')) plan.final = 'cancelled';
	if (has('stuck')) plan.final = 'never';

	if (has('media')) plan.outcome = 'media';
	// API drift the node must be loud about: a finished job without result URLs, a submit
	// answer that names no job, a status answer without a status.
	if (has('nourl')) plan.outcome = 'none';
	if (has('noid')) plan.answerWithoutId = true;
	if (has('nostatus')) plan.recordWithoutStatus = true;
	if (has('unknown-status')) plan.extraStatuses = ['preprocessing', 'uploading'];
	if (has('vanish')) plan.disappearAfterMs = base.queuedMs;
	if (has('unlisted')) plan.unlisted = true;
	if (has('listed-without-time')) plan.listedWithoutTime = true;
	const listedAs = /#listed-as=(\w+)/i.exec(prompt);
	if (listedAs) plan.listedAs = listedAs[1].toLowerCase();

	const ms = num('ms');
	if (ms !== undefined) plan.processingMs = ms;
	const bytes = num('bytes');
	if (bytes !== undefined) plan.videoBytes = bytes;
	return plan;
}

/**
 * Copy only the defined fields of `patch` over `target` (undefined never erases a default).
 * @template T
 * @param {T} target
 * @param {Partial<T> | undefined | null} patch
 * @returns {T}
 */
function assignDefined(target, patch) {
	if (!patch) return target;
	for (const [key, value] of Object.entries(patch)) {
		if (value !== undefined) /** @type {any} */ (target)[key] = value;
	}
	return target;
}

/**
 * Build the full plan of a new job: config defaults, then prompt markers, then options.plan().
 * @param {{queuedMs: number, processingMs: number, videoBytes: VideoBytes}} config
 * @param {string} model
 * @param {Record<string, unknown>} payload
 * @param {number} index 0-based index of the accepted submit
 * @param {((payload: any, index: number) => Partial<Plan> | undefined | void) | undefined} planFn
 * @returns {Plan}
 */
function buildPlan(config, model, payload, index, planFn) {
	/** @type {Plan} */
	const plan = {
		queuedMs: config.queuedMs,
		processingMs: config.processingMs,
		final: 'success',
		failureField: 'error_message',
		failureReason: DEFAULT_FAILURE_REASON,
		// Non-video models (audio) answer media_urls, as GMI does.
		outcome: modalitiesOf(model).output.includes('video') ? 'video' : 'media',
		extraStatuses: [],
		extraStatusMs: 50,
		disappearAfterMs: null,
		videoBytes: config.videoBytes,
		unlisted: false,
		listedAs: null,
	};
	const prompt = typeof payload.prompt === 'string' ? payload.prompt : '';
	assignDefined(plan, planFromPrompt(prompt, { queuedMs: config.queuedMs }));
	if (planFn) assignDefined(plan, planFn(payload, index) || undefined);
	return plan;
}

/**
 * @typedef {{
 *   id: string,
 *   index: number,
 *   model: string,
 *   payload: Record<string, unknown>,
 *   orgId: string,
 *   submittedAt: number,
 *   plan: Plan,
 * }} Job
 */

/**
 * Where a job is in its life at time `now`. Status is derived from elapsed time instead of
 * timers, so nothing runs in the background and fake clocks work.
 * @param {Job} job
 * @param {number} now ms
 * @returns {{ gone: boolean, status: string, phaseStartMs: number, final: boolean }}
 */
function jobState(job, now) {
	const { plan } = job;
	const elapsed = now - job.submittedAt;
	const gone = plan.disappearAfterMs !== null && elapsed >= plan.disappearAfterMs;
	if (plan.final === 'never' || elapsed < plan.queuedMs) {
		return { gone, status: 'queued', phaseStartMs: 0, final: false };
	}
	let phaseEnd = plan.queuedMs + plan.processingMs;
	if (elapsed < phaseEnd) return { gone, status: 'processing', phaseStartMs: plan.queuedMs, final: false };
	for (const extra of plan.extraStatuses) {
		const start = phaseEnd;
		phaseEnd += plan.extraStatusMs;
		if (elapsed < phaseEnd) return { gone, status: extra, phaseStartMs: start, final: false };
	}
	return { gone, status: plan.final, phaseStartMs: phaseEnd, final: true };
}

/**
 * Result URLs of a finished job, on the simulated storage host.
 * @param {Job} job
 * @param {string} filesUrl
 */
function resultUrls(job, filesUrl) {
	return {
		video: `${filesUrl}/videos/${job.id}/sample_0.mp4`,
		thumb: `${filesUrl}/thumbs/${job.id}.jpg`,
	};
}

/**
 * The full job record of GET /requests/{id} and list items; null when the job has vanished.
 * @param {Job} job
 * @param {number} now
 * @param {string} filesUrl
 * @returns {Record<string, unknown> | null}
 */
function jobRecord(job, now, filesUrl) {
	const state = jobState(job, now);
	if (state.gone) return null;
	const createdAt = Math.floor(job.submittedAt / 1000);
	/** @type {Record<string, unknown>} */
	const record = {
		request_id: job.id,
		org_id: job.orgId,
		model: job.model,
		status: state.status,
		is_public: false,
		payload: job.payload,
		outcome: null,
		created_at: createdAt,
		updated_at: Math.floor((job.submittedAt + state.phaseStartMs) / 1000),
		queued_at: createdAt,
	};
	if (state.status === 'success') record.outcome = successOutcome(job, filesUrl);
	if (state.status === 'failed') placeFailureReason(record, job.plan);
	if (job.plan.recordWithoutStatus) delete record.status;
	return record;
}

/**
 * @param {Job} job
 * @param {string} filesUrl
 */
function successOutcome(job, filesUrl) {
	const urls = resultUrls(job, filesUrl);
	if (job.plan.outcome === 'none') return {};
	if (job.plan.outcome === 'media') return { media_urls: [{ id: '0', url: urls.video }] };
	return { video_url: urls.video, thumbnail_image_url: urls.thumb };
}

/**
 * Put the failure reason where the plan says (the real field is undocumented, so the node
 * must look in all of them).
 * @param {Record<string, unknown>} record
 * @param {Plan} plan
 */
function placeFailureReason(record, plan) {
	const [head, sub] = plan.failureField.split('.');
	if (head === 'outcome' && sub) record.outcome = { [sub]: plan.failureReason };
	else record[head] = plan.failureReason;
}

/**
 * The short record answered by POST /requests.
 * @param {Job} job
 */
function shortRecord(job) {
	const at = Math.floor(job.submittedAt / 1000);
	const record = { request_id: job.id, model: job.model, status: 'queued', created_at: at, updated_at: at, queued_at: at };
	if (job.plan.answerWithoutId) return { ...record, request_id: undefined };
	return record;
}

module.exports = {
	HAILUO_VIDEO_MODELS,
	DEFAULT_MODELS,
	UNLISTED_HAILUO_MODEL,
	FAILURE_FIELDS,
	DEFAULT_FAILURE_REASON,
	RATE_LIMIT_REASON,
	isHailuoModel,
	modelDetail,
	validateHailuoPayload,
	planFromPrompt,
	buildPlan,
	jobState,
	jobRecord,
	shortRecord,
};
