/**
 * What this package knows of GMI Cloud's request-queue API (see shared/api/gmi-request-queue.md):
 * paths, statuses, the shapes its answers were seen in, and its limits. Both nodes reach GMI through
 * this folder; the Hailuo models' own rules live in nodes/Hailuo/hailuo.ts.
 */

export const API_BASE_PATH = '/api/v1/ie/requestqueue/apikey';
export const DEFAULT_BASE_URL = 'https://console.gmicloud.ai';

export const PATHS = {
	models: '/models',
	model: (id: string) => `/models/${encodeURIComponent(id)}`,
	requests: '/requests',
	request: (id: string) => `/requests/${encodeURIComponent(id)}`,
	uploadUrl: '/upload-url',
} as const;

/** Model and request ids are single path segments: letters, digits, dot, dash, underscore, colon. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** First-frame images MiniMax accepts. `uploadType` is GMI's `/upload-url` file_type, when it has one. */
export const FIRST_FRAME_IMAGE = {
	maxBytes: 20 * 1024 * 1024,
	types: [
		{ name: 'JPEG', mimeType: 'image/jpeg', uploadType: 'jpg', uploadContentType: 'image/jpg' },
		{ name: 'PNG', mimeType: 'image/png', uploadType: 'png', uploadContentType: 'image/png' },
		// GMI's upload endpoint takes no WebP, so WebP always travels as a data URI.
		{ name: 'WebP', mimeType: 'image/webp', uploadType: undefined, uploadContentType: undefined },
	],
} as const;
export type ImageType = (typeof FIRST_FRAME_IMAGE.types)[number];

export const FINAL_STATUSES = ['success', 'failed', 'cancelled'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];
/** Any status not listed as final (including ones GMI adds later) means "still in flight". */
export const isFinalStatus = (status: unknown): status is FinalStatus =>
	typeof status === 'string' && (FINAL_STATUSES as readonly string[]).includes(status);

/** Where clients have found the reason of a failed job; GMI documents none of them. */
export const FAILURE_REASON_PATHS = [
	['error_message'],
	['error'],
	['outcome', 'error'],
	['outcome', 'message'],
	['outcome', 'error_message'],
	['outcome', 'fail_reason'],
] as const;

/** `GET /models` answers `{"model_ids": [...]}` (confirmed) or, as clients have seen, `{"models": [...]}`. */
export const MODEL_LIST_FIELDS = ['model_ids', 'models'] as const;
/** A model in such a list is its id, or an object naming it under one of these keys. */
export const MODEL_ID_FIELDS = ['id', 'model_id', 'model', 'name'] as const;
/** Where `GET /models/{id}` was seen or is expected to list a parameter's accepted values. */
export const ALLOWED_VALUE_FIELDS = ['options', 'enum', 'allowed_values', 'allowedValues', 'values', 'choices'] as const;
/** Details are read once per model and execution; this is long enough for one, short enough to pick up a change. */
export const MODEL_DETAILS_CACHE_MS = 60_000;

/** The list response shape is undocumented: the records are the body itself or its first array here. */
export const LIST_ARRAY_FIELDS = ['requests', 'items', 'data', 'list'] as const;
export const LIST_PAGE_SIZE = 100;

/**
 * Time limits at the storage hosts, per attempt: n8n sets none on helper requests, so a host that
 * never answers would hold the execution forever. A download must start within `downloadStartMs`
 * (its length is not limited); an upload of up to 20 MB must be answered within `uploadMs`.
 */
export const STORAGE_TIMEOUTS = { downloadStartMs: 60_000, uploadMs: 5 * 60_000 };

