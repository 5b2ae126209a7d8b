import type { INodeProperties, INodePropertyRouting } from 'n8n-workflow';

import { DEFAULT_MODEL, WAIT_DEFAULTS } from '../hailuo';
import { DOWNLOAD_FIELDS } from './download';
import { WAIT_FIELDS } from './wait';

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
	return {
		displayName: options.displayName ?? 'Model',
		name: 'model',
		type: 'resourceLocator',
		required: options.required,
		default: { mode: options.defaultModel ? 'id' : 'list', value: options.defaultModel ?? '' },
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

/**
 * "Wait Until Done" and what goes with it, for Submit (waiting by default) and Get Status
 * (answering at once by default).
 */
export function waitFields(operation: 'submit' | 'getStatus', waitByDefault: boolean): INodeProperties[] {
	const forOperation = { resource: ['video'], operation: [operation] };
	const whenWaiting = { ...forOperation, [WAIT_FIELDS.waitUntilDone.name]: [true] };
	return [
		{
			displayName: WAIT_FIELDS.waitUntilDone.displayName,
			name: WAIT_FIELDS.waitUntilDone.name,
			type: 'boolean',
			default: waitByDefault,
			description:
				'Whether to keep polling until the video is finished (success, failed or cancelled) instead of returning at once',
			displayOptions: { show: forOperation },
		},
		{
			displayName: WAIT_FIELDS.pollInterval.displayName,
			name: WAIT_FIELDS.pollInterval.name,
			type: 'number',
			default: WAIT_DEFAULTS.pollIntervalSeconds,
			typeOptions: { minValue: WAIT_DEFAULTS.minPollIntervalSeconds },
			description: 'How often to ask GMI for the status while waiting',
			displayOptions: { show: whenWaiting },
		},
		{
			displayName: WAIT_FIELDS.timeout.displayName,
			name: WAIT_FIELDS.timeout.name,
			type: 'number',
			default: WAIT_DEFAULTS.timeoutSeconds,
			typeOptions: { minValue: 0 },
			description:
				'How long to wait before giving up. A timed-out item keeps its request_id and timedOut: true, so a later Get Status can pick the job up again.',
			displayOptions: { show: whenWaiting },
		},
		{
			displayName: DOWNLOAD_FIELDS.downloadVideo.displayName,
			name: DOWNLOAD_FIELDS.downloadVideo.name,
			type: 'boolean',
			default: false,
			description: 'Whether to return the finished video as binary data (besides its URL)',
			displayOptions: { show: whenWaiting },
		},
		{
			displayName: DOWNLOAD_FIELDS.binaryPropertyName.displayName,
			name: DOWNLOAD_FIELDS.binaryPropertyName.name,
			type: 'string',
			default: 'data',
			required: true,
			description: 'Name of the binary field to put the video in',
			displayOptions: { show: { ...whenWaiting, [DOWNLOAD_FIELDS.downloadVideo.name]: [true] } },
		},
	];
}
