import type { DisplayCondition, IDataObject, IExecuteFunctions, IExecutePaginationFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { accountKeyOf } from '../../../gmi/account';
import { PATHS } from '../../../gmi/api';
import { inSubmitSlot } from '../../../gmi/concurrency';
import { apiError, quoteAnswer, redactUrlsIn } from '../../../gmi/errors';
import { modelDetailsOf } from '../../../gmi/models';
import { estimateCost, formatBatchTotal, type Price } from '../../../gmi/price';
import { isRecord, type JobRecord } from '../../../gmi/records';
import { CREDENTIAL_TYPE, gmiRequest, jsonBody, type RunContext } from '../../../gmi/transport';
import { type FirstFrameImage, firstFrameReference, type FirstFrameTransfer } from '../../../gmi/upload';
import { type Field, FIELDS, modelField, simplifyField, waitFields } from '../../descriptions/fields';
import {
	CAMERA_MOVEMENTS,
	DEFAULT_DURATION,
	DEFAULT_MAX_JOBS_PER_RUN,
	DEFAULT_MODEL,
	DEFAULT_RESOLUTION,
	DURATIONS,
	MODEL_RULES,
	type ModelRules,
	PROMPT_MAX_LENGTH,
	RESOLUTIONS,
	type Resolution,
	resolutionLabel,
	resolutionsOf,
} from '../../hailuo';
import { readDownloadField } from '../../helpers/download';
import { emptyExpressionCheck } from '../../helpers/expressions';
import { type ItemInput, itemsOf, singleItem } from '../../helpers/itemInput';
import { JobBook } from '../../helpers/jobBook';
import { addHints, type AfterSubmit, asItemError, checkEach, finishRun, followJob, isItemError, type ItemError, type ItemResult, refuseRun, unreadableAnswer } from '../../helpers/jobRun';
import { checkDeclaredValues, checkSubmission, failer, readImageBinary } from '../../helpers/validation';
import { readWaitSettings, requestContext } from '../../helpers/wait';

const forSubmit = { resource: ['video'], operation: ['submit'] };

/*
 * The fields that depend on the model, generated from its rules row. A model is chosen through a
 * resource locator, which the editor does not resolve, so a row's variant is *hidden* unless its
 * model is chosen (a `show` condition on an expression would always pass and show every row at
 * once). Each row also has a variant for a duration or resolution the row does not know (an
 * expression resolving to something else, or to nothing while there is no input data), and
 * models the table does not know (or a model from an expression) get the broadest variant: an
 * expression never hides a field, and exactly one variant shows whatever it resolves to.
 */
// Plain comparisons only: n8n's server evaluates `_cnd.regex` in a VM with a 250 ms limit, which a
// busy worker exceeds ("Regular expression execution timed out").
const unlessModel = (rules: ModelRules): DisplayCondition => ({ _cnd: { not: rules.id } });
const knownModels = MODEL_RULES.map((rules) => rules.id);

const resolutionField = (
	rules: ModelRules | undefined,
	values: readonly Resolution[],
	description: string,
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties => ({
	displayName: FIELDS.resolution.displayName,
	name: FIELDS.resolution.name,
	type: 'options',
	default: DEFAULT_RESOLUTION,
	description,
	options: values.map((value) => ({ name: resolutionLabel(rules, value), value })),
	displayOptions,
});

const resolutionFields: INodeProperties[] = [
	...MODEL_RULES.flatMap((rules) => [
		...DURATIONS.map((duration) =>
			resolutionField(rules, rules.resolutions[duration], `Output resolution. ${rules.id} renders ${duration} s videos in ${rules.resolutions[duration].join(', ')}.`, {
				show: { ...forSubmit, [FIELDS.duration.name]: [duration] },
				hide: { [FIELDS.model.name]: [unlessModel(rules)] },
			}),
		),
		resolutionField(rules, resolutionsOf(rules), `Output resolution. ${DURATIONS.map((d) => `${d} s: ${rules.resolutions[d].join(', ')}`).join('; ')}; each item is checked when the node runs.`, {
			show: forSubmit,
			hide: { [FIELDS.model.name]: [unlessModel(rules)], [FIELDS.duration.name]: [...DURATIONS] },
		}),
	]),
	resolutionField(undefined, RESOLUTIONS, 'Output resolution. For a model this node does not know, GMI and the model’s own details decide.', {
		show: forSubmit,
		hide: { [FIELDS.model.name]: knownModels },
	}),
];

/**
 * n8n marks a kept value that the current options lack with a bare "The value is not supported!".
 * Where that happens for a model's row (1080P after switching to 10 s, 512P on 2.3-Fast), a
 * notice says why and what to choose instead.
 */
const resolutionNotices: INodeProperties[] = MODEL_RULES.flatMap((rules) =>
	DURATIONS.flatMap((duration) => {
		const unavailable = RESOLUTIONS.filter((r) => !rules.resolutions[duration].includes(r));
		if (!unavailable.length) return [];
		return [
			{
				displayName: `${rules.id} renders ${duration} s videos only in ${rules.resolutions[duration].join(' or ')}: choose one of those${DURATIONS.some((d) => d !== duration && unavailable.some((r) => rules.resolutions[d].includes(r))) ? `, or another Duration` : ''}.`,
				name: 'resolutionNotice',
				type: 'notice' as const,
				default: '',
				displayOptions: { show: { ...forSubmit, [FIELDS.duration.name]: [duration], [FIELDS.resolution.name]: unavailable }, hide: { [FIELDS.model.name]: [unlessModel(rules)] } },
			},
		];
	}),
);

const IMAGE_SOURCES: INodePropertyOptions[] = [
	{ name: 'None (Text to Video)', value: 'none', description: 'Generate from the prompt alone' },
	{ name: 'Image URL', value: 'url', description: 'A public http(s) URL of a JPG, PNG or WebP image' },
	{ name: 'Binary From Input', value: 'binary', description: 'An image in a binary field of the input item' },
];
const withoutNone = IMAGE_SOURCES.filter((option) => option.value !== 'none');

/** "None" leads where a frame is optional, so it is the default there; "Image URL" where one is required. */
const frameSourceField = (field: Field, options: INodePropertyOptions[], description: string, displayOptions: INodeProperties['displayOptions']): INodeProperties => {
	const firstOffered = options[0].value;
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'options',
		default: firstOffered,
		description,
		options,
		displayOptions,
	};
};

/**
 * Where a first frame is required, "None" is not offered at all. When the resolution comes from an
 * expression several variants apply at run time and n8n keeps the last one's default, so the
 * variants defaulting to "None" come last.
 */
const firstFrameFields: INodeProperties[] = [
	...MODEL_RULES.flatMap((rules) => {
		const required = rules.firstFrameRequired;
		const optional = resolutionsOf(rules).filter((r) => !required.includes(r));
		const hide = { [FIELDS.model.name]: [unlessModel(rules)] };
		const optionalDescription = rules.disputed.firstFrame
			? `The image the video starts from. Sources disagree whether ${rules.id} needs one (${rules.disputed.firstFrame}): GMI decides.`
			: 'The image the video starts from (optional at this resolution)';
		return [
			...(required.length
				? [frameSourceField(FIELDS.firstFrame, withoutNone, `The image the video starts from (required at ${required.join(', ')})`, { show: { ...forSubmit, [FIELDS.resolution.name]: [...required] }, hide })]
				: []),
			...(optional.length ? [frameSourceField(FIELDS.firstFrame, IMAGE_SOURCES, optionalDescription, { show: { ...forSubmit, [FIELDS.resolution.name]: optional }, hide })] : []),
			frameSourceField(FIELDS.firstFrame, IMAGE_SOURCES, `The image the video starts from${required.length ? ` (required at ${required.join(', ')})` : ''}`, {
				show: forSubmit,
				hide: { ...hide, [FIELDS.resolution.name]: resolutionsOf(rules) },
			}),
		];
	}),
	frameSourceField(FIELDS.firstFrame, IMAGE_SOURCES, 'The image the video starts from', { show: forSubmit, hide: { [FIELDS.model.name]: knownModels } }),
	// Stable: every model's variants keep their order, those defaulting to "None" after all others.
].sort((a, b) => Number(a.default === 'none') - Number(b.default === 'none'));

/** Offered where a model's row accepts a last frame, and for models the table does not know. */
const lastFrameFields: INodeProperties[] = [
	...MODEL_RULES.filter((rules) => rules.lastFrame.length).map((rules) =>
		frameSourceField(
			FIELDS.lastFrame,
			[{ ...IMAGE_SOURCES[0], name: 'None', description: 'No last frame' }, ...IMAGE_SOURCES.slice(1)],
			`The image the video ends on, at ${rules.lastFrame.join(', ')}${rules.disputed.lastFrame ? ` (${rules.disputed.lastFrame})` : ''}`,
			{ show: forSubmit, hide: { [FIELDS.model.name]: [unlessModel(rules)], [FIELDS.resolution.name]: resolutionsOf(rules).filter((r) => !rules.lastFrame.includes(r)) } },
		),
	),
	frameSourceField(FIELDS.lastFrame, [{ ...IMAGE_SOURCES[0], name: 'None', description: 'No last frame' }, ...IMAGE_SOURCES.slice(1)], 'The image the video ends on, if the model accepts one', {
		show: forSubmit,
		hide: { [FIELDS.model.name]: knownModels },
	}),
];

const imageUrlField = (field: Field, source: Field): INodeProperties => ({
	displayName: field.displayName,
	name: field.name,
	type: 'string',
	// Not `required`: n8n would then refuse the whole run (no Continue On Fail) whenever the
	// resolution or source arrives by expression; the run-time check names the field instead.
	default: '',
	placeholder: 'https://example.com/frame.png',
	description: 'Public http(s) URL (or data:image/…;base64 URI) of a JPG, PNG or WebP image, up to 20 MB',
	displayOptions: { show: { ...forSubmit, [source.name]: ['url'] } },
});

const binaryField = (field: Field, source: Field): INodeProperties => ({
	displayName: field.displayName,
	name: field.name,
	type: 'string',
	required: true,
	default: 'data',
	description: 'Name of the input binary field holding the image (JPG, PNG or WebP, up to 20 MB)',
	displayOptions: { show: { ...forSubmit, [source.name]: ['binary'] } },
});

export const submitFields: INodeProperties[] = [
	modelField({
		operations: { resource: 'video', operation: ['submit'] },
		required: true,
		searchListMethod: 'searchVideoModels',
		defaultModel: DEFAULT_MODEL,
		description: 'The Hailuo model to generate with',
	}),
	{
		displayName: FIELDS.prompt.displayName,
		name: FIELDS.prompt.name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'A red fox runs through fresh snow at dawn, cinematic',
		typeOptions: { rows: 4 },
		description: `What the video shows, up to ${PROMPT_MAX_LENGTH} characters. Camera tags such as [Pan left] may be written inline.`,
		displayOptions: { show: forSubmit },
	},
	{
		displayName: FIELDS.cameraMovements.displayName,
		name: FIELDS.cameraMovements.name,
		type: 'multiOptions',
		default: [],
		description: 'Camera movements to add to the end of the prompt, in brackets',
		options: CAMERA_MOVEMENTS.map((tag) => ({ name: tag.slice(1, -1), value: tag })),
		displayOptions: { show: forSubmit },
	},
	{
		displayName: FIELDS.duration.displayName,
		name: FIELDS.duration.name,
		type: 'options',
		default: DEFAULT_DURATION,
		description: 'Length of the video',
		options: DURATIONS.map((d) => ({ name: `${d} Seconds`, value: d })),
		displayOptions: { show: forSubmit },
	},
	...resolutionFields,
	...resolutionNotices,
	...firstFrameFields,
	imageUrlField(FIELDS.firstFrameUrl, FIELDS.firstFrame),
	binaryField(FIELDS.firstFrameBinaryProperty, FIELDS.firstFrame),
	...lastFrameFields,
	imageUrlField(FIELDS.lastFrameUrl, FIELDS.lastFrame),
	binaryField(FIELDS.lastFrameBinaryProperty, FIELDS.lastFrame),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: forSubmit },
		options: [
			{
				displayName: FIELDS.maxJobsPerRun.displayName,
				name: FIELDS.maxJobsPerRun.name,
				type: 'number',
				default: DEFAULT_MAX_JOBS_PER_RUN,
				typeOptions: { minValue: 0 },
				description: 'Most paid video jobs one run of this node may submit; a run with more items is refused before anything is sent. 0 means no limit.',
			},
			{
				displayName: 'First Frame Transfer',
				name: 'firstFrameTransfer',
				type: 'options',
				default: 'upload',
				description: 'How a binary first or last frame reaches GMI',
				options: [
					{ name: 'Upload to GMI Storage', value: 'upload', description: 'Upload it and send its public URL (WebP always goes inline)' },
					{ name: 'Send Inline (Data URI)', value: 'dataUri', description: 'Embed it in the request as a data:image/…;base64 URI' },
				],
			},
			{
				displayName: FIELDS.fastPretreatment.displayName,
				name: FIELDS.fastPretreatment.name,
				type: 'boolean',
				default: false,
				description: 'Whether to shorten prompt optimization to finish sooner',
			},
			{
				displayName: FIELDS.promptOptimizer.displayName,
				name: FIELDS.promptOptimizer.name,
				type: 'boolean',
				default: true,
				description: 'Whether GMI may rewrite the prompt for better results',
			},
		],
	},
	simplifyField('submit'),
	...waitFields('submit'),
];


/** One item of a Submit run, read and checked: what is sent, and what happens after. */
interface PlannedJob {
	item: ItemInput;
	model: string;
	payload: IDataObject;
	images: Array<[key: 'first_frame_image' | 'last_frame_image', image: FirstFrameImage]>;
	transfer: FirstFrameTransfer;
	after: AfterSubmit;
	/** The model's price as its details state it (possibly unknown). */
	price: Price;
}

/**
 * Reads and checks one item: every field, the images of binary frames (read, not yet sent), and the
 * values the model's own details declare (`GET /models/{id}`, once per model and account).
 */
async function planJob(ctx: RunContext, item: ItemInput, refuseEmptyExpressions: (item: ItemInput) => void): Promise<PlannedJob> {
	const node = ctx.getNode();
	const fail = failer(node, item.index);
	refuseEmptyExpressions(item);
	const wait = readWaitSettings(node, item);
	const { submission, payload } = checkSubmission(fail, {
		model: item.param(FIELDS.model.name, DEFAULT_MODEL, { extractValue: true }),
		prompt: item.param(FIELDS.prompt.name, null),
		cameraMovements: item.param(FIELDS.cameraMovements.name, []),
		duration: item.param(FIELDS.duration.name, DEFAULT_DURATION),
		resolution: item.param(FIELDS.resolution.name, DEFAULT_RESOLUTION),
		firstFrame: item.param(FIELDS.firstFrame.name, 'none'),
		firstFrameUrl: item.param(FIELDS.firstFrameUrl.name, ''),
		lastFrame: item.param(FIELDS.lastFrame.name, 'none'),
		lastFrameUrl: item.param(FIELDS.lastFrameUrl.name, ''),
		promptOptimizer: item.param(`options.${FIELDS.promptOptimizer.name}`, null),
		fastPretreatment: item.param(`options.${FIELDS.fastPretreatment.name}`, null),
	});
	const images: PlannedJob['images'] = [];
	if (submission.firstFrame === 'binary') {
		images.push(['first_frame_image', await readImageBinary(fail, item, FIELDS.firstFrameBinaryProperty, item.param(FIELDS.firstFrameBinaryProperty.name, 'data'))]);
	}
	if (submission.lastFrame === 'binary') {
		images.push(['last_frame_image', await readImageBinary(fail, item, FIELDS.lastFrameBinaryProperty, item.param(FIELDS.lastFrameBinaryProperty.name, 'data'))]);
	}
	const details = await modelDetailsOf(ctx, submission.model);
	checkDeclaredValues(fail, submission, details);
	return {
		price: details.price,
		item,
		model: submission.model,
		payload,
		images,
		transfer: item.param('options.firstFrameTransfer', 'upload') === 'dataUri' ? 'dataUri' : 'upload',
		after: { wait, download: wait ? readDownloadField(item) : undefined, simplify: item.param('simplify', true) !== false },
	};
}

/**
 * Max Jobs per Run: a run with more items than the limit is refused before anything is sent (with
 * Continue On Fail, the items past the limit get an error and the first ones go). Jobs a Retry On
 * Fail try picks up again were paid for once and are not counted again.
 */
function limitJobs(ctx: RunContext, items: ItemInput[], checked: Array<PlannedJob | ItemError>, book: JobBook): void {
	const limit = Number(items[0]?.param(`options.${FIELDS.maxJobsPerRun.name}`, DEFAULT_MAX_JOBS_PER_RUN) ?? DEFAULT_MAX_JOBS_PER_RUN);
	if (!Number.isFinite(limit) || limit <= 0) return;
	const fresh = checked.flatMap((plan, index) => (isItemError(plan) || resumable(book, index) ? [] : [index]));
	if (fresh.length <= limit) return;
	const node = ctx.getNode();
	const message = `This run would submit ${fresh.length} paid video jobs, more than Max Jobs per Run allows (${limit})`;
	const description = `Nothing past the limit was sent to GMI. If this many videos are intended, raise Options → Max Jobs per Run (0 means no limit), or split the input (e.g. Loop Over Items).`;
	if (!ctx.continueOnFail()) throw new NodeOperationError(node, message, { description: `${description} Nothing was sent to GMI.` });
	for (const index of fresh.slice(limit)) checked[index] = new NodeOperationError(node, `${message}: item ${index + 1} was not submitted`, { itemIndex: index, description });
}

const endedBadly = (status: string) => status === 'failed' || status === 'cancelled';
const resumable = (book: JobBook, index: number) => {
	const job = book.job(index);
	return job !== undefined && !endedBadly(job.status);
};

/** Submit's `POST /requests` (binary frames uploaded first); the accepted job's first record. */
async function submitJob(ctx: RunContext, plan: PlannedJob, book: JobBook): Promise<JobRecord> {
	const node = ctx.getNode();
	const index = plan.item.index;
	const payload = { ...plan.payload };
	for (const [key, image] of plan.images) payload[key] = await firstFrameReference(ctx, index, image, plan.transfer, key.replace(/_/g, ' '));
	let response;
	try {
		response = await gmiRequest.call(ctx, 'POST', PATHS.requests, { body: { model: plan.model, payload }, abortSignal: ctx.getExecutionCancelSignal() });
	} catch (error) {
		throw new NodeOperationError(node, `Submit failed before GMI answered: ${redactUrlsIn((error as Error).message ?? 'network error')}`, {
			itemIndex: index,
			description: 'The connection broke before GMI answered, so the job may or may not have been created (and billed): check Video → List before submitting this item again.',
		});
	}
	const { statusCode, body } = response;
	if (statusCode >= 400) {
		throw apiError(node, statusCode, body, index, statusCode >= 500 ? 'Submit answered with a server error (the job may still have been created: check Video → List)' : undefined);
	}
	const record = jsonBody(body);
	if (!isRecord(record)) throw unreadableAnswer(node, index, statusCode, typeof body === 'string' ? body.trim() : '');
	if (typeof record.request_id !== 'string' || !record.request_id.trim()) {
		book.record(index, { status: 'accepted without a request ID' });
		throw new NodeOperationError(node, `GMI accepted the submit but named no job (no request_id) in its answer: ${quoteAnswer(record)}`, {
			itemIndex: index,
			description: 'The job may still have been created, and billed: look for it with Video → List before submitting again.',
		});
	}
	book.record(index, { requestId: record.request_id, status: typeof record.status === 'string' ? record.status : 'accepted' });
	// If the execution dies while waiting (a worker killed in queue mode), n8n discards its data; the log still ties request ids to it.
	ctx.logger.info(`Hailuo: GMI accepted video request ${record.request_id}`, { requestId: record.request_id, executionId: ctx.getExecutionId(), itemIndex: index });
	return record as JobRecord;
}

/** A job an earlier Retry On Fail try of this run had accepted: its record, asked for instead of a new submit. */
async function resumeJob(ctx: RunContext, plan: PlannedJob, book: JobBook): Promise<JobRecord> {
	const node = ctx.getNode();
	const index = plan.item.index;
	const job = book.job(index)!;
	if (!job.requestId) {
		throw new NodeOperationError(node, 'Not submitting this item again: an earlier try’s submit was accepted by GMI without a request ID', {
			itemIndex: index,
			description: 'That job may be rendering (and billed). Find it with Video → List before submitting the item again.',
		});
	}
	ctx.logger.info(`Hailuo: resuming video request ${job.requestId} instead of submitting it again`, { requestId: job.requestId, executionId: ctx.getExecutionId(), itemIndex: index });
	const response = await gmiRequest.call(ctx, 'GET', PATHS.request(job.requestId), { abortSignal: ctx.getExecutionCancelSignal() });
	if (response.statusCode >= 400) {
		throw apiError(node, response.statusCode, response.body, index, requestContext(response.statusCode, job.requestId));
	}
	const record = jsonBody(response.body);
	// An unreadable answer still leaves the job known: waiting asks for it again.
	return (isRecord(record) && typeof record.status === 'string' ? { ...record, request_id: job.requestId } : { request_id: job.requestId, status: job.status }) as JobRecord;
}

/**
 * Video → Submit for the items of a run: every item read and checked before the first request,
 * then submitted a few at a time per account, waited for together, downloaded. In a stop-on-fail
 * run, a refused submit stops the items not yet sent; the jobs GMI accepted are waited for, so the
 * run's error can name every one of them.
 */
async function submitItems(ctx: RunContext, items: ItemInput[], book: JobBook): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const refuseEmptyExpressions = emptyExpressionCheck(node, submitFields);
	const checked: Array<PlannedJob | ItemError> = await checkEach(items, async (item) => await planJob(ctx, item, refuseEmptyExpressions));
	const continueOnFail = ctx.continueOnFail();
	if (!continueOnFail) refuseRun(node, checked);
	limitJobs(ctx, items, checked, book);
	const account = accountKeyOf(await ctx.getCredentials(CREDENTIAL_TYPE));
	let stoppedBy: number | undefined;
	const results = await Promise.all(
		checked.map(async (plan, index): Promise<ItemResult> => {
			if (isItemError(plan)) return { index, error: plan, json: { error: plan.message } };
			let first: JobRecord;
			try {
				if (resumable(book, index)) first = await resumeJob(ctx, plan, book);
				else {
					first = await inSubmitSlot(account, async () => {
						if (stoppedBy !== undefined) throw new NodeOperationError(node, `Not submitted: item ${stoppedBy + 1} of this run failed first`, { itemIndex: index });
						return await submitJob(ctx, plan, book);
					});
				}
			} catch (error) {
				const itemError = asItemError(error, node, index);
				const halted = stoppedBy !== undefined && stoppedBy !== index && !book.job(index);
				if (!continueOnFail && stoppedBy === undefined) stoppedBy = index;
				return { index, error: itemError, problem: halted ? `item ${stoppedBy! + 1} of this run failed first` : undefined, json: { error: itemError.message } };
			}
			const result = await followJob(ctx, book, plan.item, first, plan.after, plan.payload);
			const cost = estimateCost(plan.price, { duration: Number(plan.payload.duration) });
			if (cost !== undefined && plan.price.known && result.json) result.json.estimatedCost = { amount: cost, currency: plan.price.currency };
			return result;
		}),
	);
	addCostHint(ctx, checked);
	return finishRun(ctx, results, book);
}

/** One execution hint with what the run's jobs cost by GMI's stated prices (or why that is unknown). */
function addCostHint(ctx: RunContext, checked: Array<PlannedJob | ItemError>): void {
	const byModel = new Map<string, { model: string; price: Price; jobs: Array<{ duration?: number }> }>();
	for (const plan of checked) {
		if (isItemError(plan)) continue;
		const group = byModel.get(plan.model) ?? { model: plan.model, price: plan.price, jobs: [] };
		group.jobs.push({ duration: Number(plan.payload.duration) });
		byModel.set(plan.model, group);
	}
	if (!byModel.size) return;
	addHints(ctx, 'info', [`Estimated cost: ${formatBatchTotal([...byModel.values()])}`]);
}

/** n8n's custom operation for Video → Submit: every item of the run. */
export async function submit(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return [await submitItems(this, itemsOf(this), JobBook.ofRun(this))];
}

/**
 * n8n runs a node that an AI agent uses as a tool through RoutingNode, which knows no custom
 * operations: Submit's routing hands its one item to the same code through the one routing hook
 * that returns items (a custom "pagination" that sends nothing of its own).
 */
export async function submitAsTool(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
	return await submitItems(this, [singleItem(this)], JobBook.ofToolCall(this));
}
