/**
 * Everything this package knows about GMI Cloud's request-queue API and the Hailuo payload, per model.
 * The editor's display options and the run-time checks are both derived from here, so they
 * cannot disagree; a new model or rule is a change in this file only.
 */

export const DEFAULT_MODEL = 'Minimax-Hailuo-02';

/** GMI spells it "Minimax-Hailuo-…"; some accounts list lower-case slugs. Both are video models. */
export const isHailuoVideoModel = (id: string): boolean => /hailuo|minimax/i.test(id);

export const DURATIONS = [6, 10] as const;
export type Duration = (typeof DURATIONS)[number];
export const DEFAULT_DURATION: Duration = 6;

export const RESOLUTIONS = ['512P', '768P', '1080P'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const DEFAULT_RESOLUTION: Resolution = '768P';

/**
 * One Hailuo model on GMI. What every source agrees on is refused before any request; what they
 * dispute is offered and labelled, and GMI's answer decides (`disputed`).
 */
export interface ModelRules {
	id: string;
	/** The resolutions each duration renders; a resolution missing at a duration is refused there. */
	resolutions: Record<Duration, readonly Resolution[]>;
	/** Resolutions refused without a first frame image. */
	firstFrameRequired: readonly Resolution[];
	/** Resolutions at which a last frame image (`last_frame_image`) may be sent. */
	lastFrame: readonly Resolution[];
	disputed: {
		/** Offered resolutions only some sources list, with the label note that says so. */
		resolutions?: { values: readonly Resolution[]; note: string };
		/** A first frame some sources demand and others don't: steered in the editor, never refused. */
		firstFrame?: string;
		/** A last frame GMI may or may not pass on: offered, never refused. */
		lastFrame?: string;
	};
	/** Where the row comes from (the README shows it). */
	sources: string;
}

/**
 * Every Hailuo model the package knows. A new model is one entry here (plus its test row); a model
 * missing here still works: the editor offers the broadest fields and its own details (`GET
 * /models/{id}`) and GMI's answers decide.
 */
export const MODEL_RULES: readonly ModelRules[] = [
	{
		id: 'Minimax-Hailuo-02',
		resolutions: { 6: ['512P', '768P', '1080P'], 10: ['512P', '768P'] },
		firstFrameRequired: ['512P'],
		lastFrame: ['768P', '1080P'],
		disputed: { lastFrame: 'MiniMax documents it; whether GMI passes it on is unconfirmed' },
		sources: "GMI's Hailuo-02 usage guide; last frame: MiniMax's video generation API (first and last frame, 768P/1080P)",
	},
	{
		id: 'Minimax-Hailuo-2.3',
		resolutions: { 6: ['512P', '768P', '1080P'], 10: ['512P', '768P'] },
		firstFrameRequired: [],
		lastFrame: [],
		disputed: { resolutions: { values: ['512P'], note: "Listed by GMI, Not by MiniMax" } },
		sources: "MiniMax's video generation API (text or image to video, 768P at 6/10 s, 1080P at 6 s); GMI's model page (also lists 512P)",
	},
	{
		id: 'Minimax-Hailuo-2.3-Fast',
		resolutions: { 6: ['768P', '1080P'], 10: ['768P'] },
		firstFrameRequired: ['768P', '1080P'],
		lastFrame: [],
		disputed: {},
		sources: "MiniMax's video generation API (image to video only, 768P at 6/10 s, 1080P at 6 s); GMI's model details (first_frame_image required)",
	},
];

/**
 * Model ids are matched exactly as GMI spells them, as the editor's display conditions do: another
 * spelling (a lower-case slug some accounts list) is a model the table does not know.
 */
export const rulesOf = (modelId: string): ModelRules | undefined => MODEL_RULES.find((rules) => rules.id === modelId);

/** Every resolution a model renders at some duration, in the order of RESOLUTIONS. */
export const resolutionsOf = (rules: ModelRules): Resolution[] =>
	RESOLUTIONS.filter((r) => DURATIONS.some((d) => rules.resolutions[d].includes(r)));

/** "1080P (6 s Only)", "512P (Needs a First Frame Image)", "512P (Listed by GMI, Not by MiniMax)". */
export function resolutionLabel(rules: ModelRules | undefined, resolution: Resolution): string {
	if (!rules) return resolution;
	const notes: string[] = [];
	if (rules.firstFrameRequired.includes(resolution)) notes.push('Needs a First Frame Image');
	const durations = DURATIONS.filter((d) => rules.resolutions[d].includes(resolution));
	if (durations.length < DURATIONS.length) notes.push(`${durations.join('/')} s Only`);
	if (rules.disputed.resolutions?.values.includes(resolution)) notes.push(rules.disputed.resolutions.note);
	return notes.length ? `${resolution} (${notes.join(', ')})` : resolution;
}

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

/** GMI's own example polls every second (too hot); clients poll every 5–10 s and give up after 15–20 min. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 10;
export const MIN_POLL_INTERVAL_SECONDS = 1;
export const DEFAULT_TIMEOUT_SECONDS = 15 * 60;

/** Every job is billed: a run submits at most this many unless its owner raises the limit (0 = none). */
export const DEFAULT_MAX_JOBS_PER_RUN = 100;