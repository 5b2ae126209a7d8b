import type { IDisplayOptions, INodeProperties, INodePropertyRouting } from 'n8n-workflow';

import { DEFAULT_MODEL, DEFAULT_POLL_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS, MIN_POLL_INTERVAL_SECONDS } from '../hailuo';

/** A field as the user sees it in the editor and as a workflow JSON names it. */
export interface Field {
	displayName: string;
	name: string;
}

export const FIELDS = {
	model: { displayName: 'Model', name: 'model' },
	prompt: { displayName: 'Prompt', name: 'prompt' },
	cameraMovements: { displayName: 'Camera Movements', name: 'cameraMovements' },
	duration: { displayName: 'Duration', name: 'duration' },
	resolution: { displayName: 'Resolution', name: 'resolution' },
	firstFrame: { displayName: 'First Frame Image', name: 'firstFrame' },
	firstFrameUrl: { displayName: 'First Frame Image URL', name: 'firstFrameUrl' },
	firstFrameBinaryProperty: { displayName: 'Input Binary Field', name: 'firstFrameBinaryProperty' },
	lastFrame: { displayName: 'Last Frame Image', name: 'lastFrame' },
	lastFrameUrl: { displayName: 'Last Frame Image URL', name: 'lastFrameUrl' },
	lastFrameBinaryProperty: { displayName: 'Last Frame Input Binary Field', name: 'lastFrameBinaryProperty' },
	requestId: { displayName: 'Request ID', name: 'requestId' },
	limit: { displayName: 'Limit', name: 'limit' },
	promptOptimizer: { displayName: 'Prompt Optimizer', name: 'promptOptimizer' },
	fastPretreatment: { displayName: 'Fast Pretreatment', name: 'fastPretreatment' },
	maxJobsPerRun: { displayName: 'Max Jobs per Run', name: 'maxJobsPerRun' },
	simplify: { displayName: 'Simplify', name: 'simplify' },
} as const satisfies Record<string, Field>;

export const WAIT_FIELDS = {
	waitUntilDone: { displayName: 'Wait Until Done', name: 'waitUntilDone' },
	pollInterval: { displayName: 'Poll Interval (Seconds)', name: 'pollInterval' },
	timeout: { displayName: 'Timeout (Seconds)', name: 'timeout' },
} as const;

export const DOWNLOAD_FIELDS = {
	downloadVideo: { displayName: 'Download Video', name: 'downloadVideo' },
	binaryPropertyName: { displayName: 'Put Video in Field', name: 'binaryPropertyName' },
} as const;

/** The model picker: GMI's model list (searchable), or any id typed in. */
export function modelField(options: {
	operations: { resource: string; operation: string[] };
	required: boolean;
	searchListMethod: 'searchVideoModels' | 'searchModels';
	defaultModel?: string;
	description: string;
	displayName?: string;
	routing?: INodePropertyRouting;
}): INodeProperties {
	// A new node opens on "From List", showing the default model as if picked from it.
	const picked = options.defaultModel ?? '';
	return {
		displayName: options.displayName ?? 'Model',
		name: 'model',
		type: 'resourceLocator',
		required: options.required,
		default: { mode: 'list', value: picked, ...(picked ? { cachedResultName: picked } : {}) },
		description: options.description,
		...(options.routing ? { routing: options.routing } : {}),
		displayOptions: { show: { resource: [options.operations.resource], operation: options.operations.operation } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: DEFAULT_MODEL,
			},
		],
	};
}

const WAIT_DESCRIPTION =
	'Whether to keep polling until the video is finished (success, failed or cancelled) instead of returning at once';

/** Submit waits by default: that is why people use this node instead of HTTP + Wait + IF. */
const waitUntilDoneFields: INodeProperties[] = [
	{
		displayName: 'Wait Until Done',
		name: 'waitUntilDone',
		type: 'boolean',
		default: true,
		description: WAIT_DESCRIPTION,
		displayOptions: { show: { resource: ['video'], operation: ['submit'] } },
	},
	{
		displayName: 'Wait Until Done',
		name: 'waitUntilDone',
		type: 'boolean',
		default: false,
		description: WAIT_DESCRIPTION,
		displayOptions: { show: { resource: ['video'], operation: ['getStatus'] } },
	},
];

/** "Wait Until Done" and what goes with it, for Submit and Get Status. */
export function waitFields(operation: 'submit' | 'getStatus'): INodeProperties[] {
	const whenWaiting = { resource: ['video'], operation: [operation], [WAIT_FIELDS.waitUntilDone.name]: [true] };
	return [
		...waitUntilDoneFields.filter((field) => field.displayOptions?.show?.operation?.includes(operation)),
		{
			displayName: WAIT_FIELDS.pollInterval.displayName,
			name: WAIT_FIELDS.pollInterval.name,
			type: 'number',
			default: DEFAULT_POLL_INTERVAL_SECONDS,
			typeOptions: { minValue: MIN_POLL_INTERVAL_SECONDS },
			description: 'How often to ask GMI for the status while waiting',
			displayOptions: { show: whenWaiting },
		},
		{
			displayName: WAIT_FIELDS.timeout.displayName,
			name: WAIT_FIELDS.timeout.name,
			type: 'number',
			default: DEFAULT_TIMEOUT_SECONDS,
			typeOptions: { minValue: 0 },
			description:
				'How long to wait before giving up. A timed-out item keeps its request_id and timedOut: true, so a later Get Status can pick the job up again.',
			displayOptions: { show: whenWaiting },
		},
		...downloadFields(whenWaiting),
	];
}

/** "Download Video" and its binary field, shown where `show` holds (always, without it). */
export function downloadFields(show: IDisplayOptions['show'] = {}): INodeProperties[] {
	return [
		{
			displayName: DOWNLOAD_FIELDS.downloadVideo.displayName,
			name: DOWNLOAD_FIELDS.downloadVideo.name,
			type: 'boolean',
			default: false,
			description: 'Whether to return the finished video as binary data (besides its URL)',
			...(Object.keys(show ?? {}).length ? { displayOptions: { show } } : {}),
		},
		{
			displayName: DOWNLOAD_FIELDS.binaryPropertyName.displayName,
			name: DOWNLOAD_FIELDS.binaryPropertyName.name,
			type: 'string',
			default: 'data',
			required: true,
			description: 'Name of the binary field to put the video in',
			displayOptions: { show: { ...show, [DOWNLOAD_FIELDS.downloadVideo.name]: [true] } },
		},
	];
}

/** n8n's convention: the fields a workflow chains on by default, GMI's whole record when off. */
export const simplifyField = (operation: 'submit' | 'getStatus'): INodeProperties => ({
	displayName: FIELDS.simplify.displayName,
	name: FIELDS.simplify.name,
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	displayOptions: { show: { resource: ['video'], operation: [operation] } },
});
