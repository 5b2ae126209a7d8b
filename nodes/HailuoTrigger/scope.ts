import type { IExecuteSingleFunctions, ILoadOptionsFunctions, INodeListSearchResult, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { type FinalStatus, ID_PATTERN } from '../gmi/api';
import { isHailuoVideoModel } from '../Hailuo/hailuo';
import { searchVideoModels } from '../Hailuo/methods/listSearch';
import { isRecord, type JobRecord } from '../gmi/records';

/** The `event` parameter: which final statuses start the workflow. */
export const EVENTS = {
	succeeded: { name: 'Video Succeeded', statuses: ['success'] },
	failed: { name: 'Video Failed or Cancelled', statuses: ['failed', 'cancelled'] },
	finished: { name: 'Any Final Status', statuses: ['success', 'failed', 'cancelled'] },
} as const satisfies Record<string, { name: string; statuses: readonly FinalStatus[] }>;
export type TriggerEvent = keyof typeof EVENTS;

/** The model picker's value meaning "every Hailuo model" (no model id can contain `*`). */
export const EVERY_HAILUO_MODEL = '*';
export const EVERY_HAILUO_MODEL_NAME = 'Every Hailuo Model';

/** The optional filters, with their labels as the editor shows them. */
export const FILTERS = {
	promptContains: { displayName: 'Prompt Contains', name: 'promptContains' },
	requestIds: { displayName: 'Request IDs', name: 'requestIds' },
} as const;
export const FILTERS_COLLECTION = 'filters';

/** What one trigger watches: jobs of one model (or every Hailuo model) reaching some statuses. */
export interface Scope {
	event: TriggerEvent;
	/** undefined: every Hailuo model. */
	modelId?: string;
	/** Lower-cased text the job's prompt must contain. */
	promptContains?: string;
	/** Only these jobs. */
	requestIds?: Set<string>;
}

type Ctx = IPollFunctions | IExecuteSingleFunctions;

export function readScope(ctx: Ctx): Scope {
	const event = ctx.getNodeParameter('event', 'succeeded');
	if (typeof event !== 'string' || !(event in EVENTS)) {
		throw new NodeOperationError(ctx.getNode(), `Event (event) is "${String(event)}": allowed are ${Object.keys(EVENTS).join(', ')}`);
	}
	const raw = ctx.getNodeParameter('model', EVERY_HAILUO_MODEL, { extractValue: true });
	const model = typeof raw === 'string' ? raw.trim() : '';
	const scope: Scope = { event: event as TriggerEvent, ...readFilters(ctx) };
	if (model === '' || model === EVERY_HAILUO_MODEL) return scope;
	if (!ID_PATTERN.test(model)) {
		throw new NodeOperationError(ctx.getNode(), `Model (model) is "${model}": allowed are a model id (letters, digits, ".", "-", "_", ":") or ${EVERY_HAILUO_MODEL_NAME}`);
	}
	return { ...scope, modelId: model };
}

function readFilters(ctx: Ctx): Pick<Scope, 'promptContains' | 'requestIds'> {
	const { promptContains, requestIds } = FILTERS;
	const prompt = ctx.getNodeParameter(`${FILTERS_COLLECTION}.${promptContains.name}`, '');
	if (typeof prompt !== 'string') {
		throw new NodeOperationError(ctx.getNode(), `${promptContains.displayName} (${FILTERS_COLLECTION}.${promptContains.name}) is ${JSON.stringify(prompt)}: allowed is text`);
	}
	const ids = ctx.getNodeParameter(`${FILTERS_COLLECTION}.${requestIds.name}`, '');
	const list = typeof ids === 'string' ? ids.split(/[,\n]/) : Array.isArray(ids) ? ids : undefined;
	const label = `${requestIds.displayName} (${FILTERS_COLLECTION}.${requestIds.name})`;
	if (list === undefined) {
		throw new NodeOperationError(ctx.getNode(), `${label} is ${JSON.stringify(ids)}: allowed are request ids separated by commas, or an array of them`);
	}
	const wanted = list.map((id: unknown) => (typeof id === 'string' ? id.trim() : id)).filter((id) => id !== '');
	wanted.forEach((id, index) => {
		if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
			throw new NodeOperationError(ctx.getNode(), `${label} has ${JSON.stringify(id)} as entry ${index + 1}: allowed are request ids (letters, digits, ".", "-", "_", ":"), separated by commas, or an array of them`);
		}
	});
	return {
		...(prompt.trim() ? { promptContains: prompt.trim().toLowerCase() } : {}),
		...(wanted.length ? { requestIds: new Set(wanted.map(String)) } : {}),
	};
}

/** Whether a listed job belongs to the scope's model(s): GMI's own filter is not trusted alone. */
export function inScope(scope: Scope, record: JobRecord): boolean {
	const model = typeof record.model === 'string' ? record.model : undefined;
	if (model === undefined) return true;
	return scope.modelId ? model === scope.modelId : isHailuoVideoModel(model);
}

export const matchesEvent = (scope: Scope, record: JobRecord): boolean =>
	(EVENTS[scope.event].statuses as readonly string[]).includes(String(record.status));

const promptOf = (record: JobRecord): string | undefined =>
	isRecord(record.payload) && typeof record.payload.prompt === 'string' ? record.payload.prompt : undefined;

/**
 * Whether a job passes the filters; undefined while its record (an abbreviated listing) does not
 * carry the prompt the Prompt Contains filter needs.
 */
export function matchesFilters(scope: Scope, record: JobRecord): boolean | undefined {
	if (scope.requestIds && !scope.requestIds.has(String(record.request_id))) return false;
	if (scope.promptContains === undefined) return true;
	const prompt = promptOf(record);
	return prompt === undefined ? undefined : prompt.toLowerCase().includes(scope.promptContains);
}

/** The trigger's model picker: "Every Hailuo Model" first, then GMI's Hailuo video models. */
export async function searchTriggerModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const models = await searchVideoModels.call(this, filter);
	const needle = filter?.trim().toLowerCase();
	const every = !needle || EVERY_HAILUO_MODEL_NAME.toLowerCase().includes(needle) ? [{ name: EVERY_HAILUO_MODEL_NAME, value: EVERY_HAILUO_MODEL }] : [];
	return { results: [...every, ...models.results] };
}
