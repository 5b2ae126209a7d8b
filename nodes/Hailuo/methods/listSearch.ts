import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { PATHS } from '../../gmi/api';
import { isHailuoVideoModel, MODEL_RULES } from '../hailuo';
import { describeHttpFailure } from '../../gmi/errors';
import { modelIdsOf } from '../../gmi/models';
import { gmiRequest } from '../../gmi/transport';

async function modelIds(ctx: ILoadOptionsFunctions): Promise<string[]> {
	const response = await gmiRequest.call(ctx, 'GET', PATHS.models);
	if (response.statusCode >= 400) {
		const { message, description } = describeHttpFailure(response.statusCode, response.body);
		throw new NodeApiError(ctx.getNode(), { statusCode: response.statusCode }, { message, description });
	}
	return modelIdsOf(ctx.getNode(), response.body);
}

/**
 * GMI lists some models twice, in its catalog spelling and as a lower-case slug
 * (`Minimax-Hailuo-02`, `minimax-hailuo-02`): one entry per model, in GMI's spelling (the one
 * the rules table knows, else the one that is not all lower case). Typing the slug still finds it.
 */
function oncePerModel(ids: string[]): string[] {
	const known = new Set(MODEL_RULES.map((rules) => rules.id));
	const rank = (id: string) => (known.has(id) ? 0 : id !== id.toLowerCase() ? 1 : 2);
	const byModel = new Map<string, string>();
	for (const id of ids) {
		const key = id.toLowerCase();
		const kept = byModel.get(key);
		if (kept === undefined || rank(id) < rank(kept)) byModel.set(key, id);
	}
	return [...byModel.values()];
}

function toResults(ids: string[], filter?: string): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase();
	return {
		results: oncePerModel(ids)
			.filter((id) => !needle || id.toLowerCase().includes(needle))
			.sort((a, b) => a.localeCompare(b))
			.map((id) => ({ name: id, value: id })),
	};
}

/** Hailuo / MiniMax video models only: the ones Submit can use. */
export async function searchVideoModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return toResults((await modelIds(this)).filter(isHailuoVideoModel), filter);
}

export async function searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return toResults(await modelIds(this), filter);
}
