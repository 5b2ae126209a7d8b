/**
 * Everything this package knows about GMI Cloud's request-queue API and the Hailuo-02 payload.
 * The editor's display options and the run-time checks are both derived from here, so they
 * cannot disagree; a new model or rule is a change in this file only.
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

export const DEFAULT_MODEL = 'Minimax-Hailuo-02';

/** GMI spells it "Minimax-Hailuo-…"; some accounts list lower-case slugs. Both are video models. */
export const isHailuoVideoModel = (id: string): boolean => /hailuo|minimax/i.test(id);

/** Model and request ids are single path segments: letters, digits, dot, dash, underscore, colon. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export const DURATIONS = [6, 10] as const;
export type Duration = (typeof DURATIONS)[number];
export const DEFAULT_DURATION: Duration = 6;

export const RESOLUTIONS = ['512P', '768P', '1080P'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const DEFAULT_RESOLUTION: Resolution = '768P';

/** 1080P is only rendered for 6 s clips. */
export const RESOLUTIONS_BY_DURATION: Record<Duration, readonly Resolution[]> = {
	6: ['512P', '768P', '1080P'],
	10: ['512P', '768P'],
};

/** 512P is image-to-video only: the API refuses it without a first frame. */
export const RESOLUTIONS_NEEDING_FIRST_FRAME: readonly Resolution[] = ['512P'];

export const RESOLUTION_LABELS: Record<Resolution, string> = {
	'512P': '512P (Needs a First Frame Image)',
	'768P': '768P',
	'1080P': '1080P (6 s Only)',
};

export const PROMPT_MAX_LENGTH = 2000;

export const CAMERA_MOVEMENTS = [
	'[Truck left]',
	'[Truck right]',
	'[Pan left]',
	'[Pan right]',
	'[Push in]',
	'[Pull out]',
	'[Pedestal up]',
	'[Pedestal down]',
	'[Tilt up]',
	'[Tilt down]',
	'[Zoom in]',
	'[Zoom out]',
	'[Shake]',
	'[Tracking shot]',
	'[Static shot]',
] as const;

export const FIRST_FRAME_SOURCES = ['none', 'url', 'binary'] as const;
export type FirstFrameSource = (typeof FIRST_FRAME_SOURCES)[number];

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

export const IN_FLIGHT_STATUSES = ['created', 'queued', 'dispatched', 'processing'] as const;
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

/** The list response shape is undocumented: the records are the body itself or its first array here. */
export const LIST_ARRAY_FIELDS = ['requests', 'items', 'data', 'list'] as const;
export const LIST_PAGE_SIZE = 100;

/** GMI's own example polls every second (too hot); clients poll every 5–10 s and give up after 15–20 min. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 10;
export const MIN_POLL_INTERVAL_SECONDS = 1;
export const DEFAULT_TIMEOUT_SECONDS = 15 * 60;

/**
 * Time limits at the storage hosts, per attempt: n8n sets none on helper requests, so a host that
 * never answers would hold the execution forever. A download must start within `downloadStartMs`
 * (its length is not limited); an upload of up to 20 MB must be answered within `uploadMs`.
 */
export const STORAGE_TIMEOUTS = { downloadStartMs: 60_000, uploadMs: 5 * 60_000 };
