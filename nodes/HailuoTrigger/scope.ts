import type { IExecuteSingleFunctions, ILoadOptionsFunctions, INodeListSearchResult, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { type FinalStatus, ID_PATTERN } from '../gmi/api';
import { isHailuoVideoModel } from '../Hailuo/hailuo';
import { searchVideoModels } from '../Hailuo/methods/listSearch';
import type { JobRecord } from '../gmi/records';

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

/** What one trigger watches: jobs of one model (or every Hailuo model) reaching some statuses. */
export interface Scope {
	event: TriggerEvent;
	/** undefined: every Hailuo model. */
	modelId?: string;
}

type Ctx = IPollFunctions | IExecuteSingleFunctions;

export function readScope(ctx: Ctx): Scope {
	const event = ctx.getNodeParameter('event', 'succeeded');
	if (typeof event !== 'string' || !(event in EVENTS)) {
		throw new NodeOperationError(ctx.getNode(), `Event (event) is "${String(event)}": allowed are ${Object.keys(EVENTS).join(', ')}`);
	}
	const raw = ctx.getNodeParameter('model', EVERY_HAILUO_MODEL, { extractValue: true });
	const model = typeof raw === 'string' ? raw.trim() : '';
	if (model === '' || model === EVERY_HAILUO_MODEL) return { event: event as TriggerEvent };
	if (!ID_PATTERN.test(model)) {
		throw new NodeOperationError(ctx.getNode(), `Model (model) is "${model}": allowed are a model id (letters, digits, ".", "-", "_", ":") or ${EVERY_HAILUO_MODEL_NAME}`);
	}
	return { event: event as TriggerEvent, modelId: model };
}

/** Whether a listed job belongs to the scope's model(s): GMI's own filter is not trusted alone. */
export function inScope(scope: Scope, record: JobRecord): boolean {
	const model = typeof record.model === 'string' ? record.model : undefined;
	if (model === undefined) return true;
	return scope.modelId ? model === scope.modelId : isHailuoVideoModel(model);
}

export const matchesEvent = (scope: Scope, record: JobRecord): boolean =>
	(EVENTS[scope.event].statuses as readonly string[]).includes(String(record.status));

/** The trigger's model picker: "Every Hailuo Model" first, then GMI's Hailuo video models. */
export async function searchTriggerModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const models = await searchVideoModels.call(this, filter);
	const needle = filter?.trim().toLowerCase();
	const every = !needle || EVERY_HAILUO_MODEL_NAME.toLowerCase().includes(needle) ? [{ name: EVERY_HAILUO_MODEL_NAME, value: EVERY_HAILUO_MODEL }] : [];
	return { results: [...every, ...models.results] };
}
