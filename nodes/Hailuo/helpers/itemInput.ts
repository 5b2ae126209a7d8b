import type { IBinaryKeyData, IExecuteFunctions, IExecuteSingleFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

/**
 * What an operation reads of one input item: its parameters and its binary data. n8n runs the
 * node's custom operations with every item of the run (`IExecuteFunctions`), and an AI agent runs
 * the node as a tool with one item at a time (`IExecuteSingleFunctions`): both read through this.
 */
export interface ItemInput {
	/** The item's index as n8n counts (from 0); messages count from 1. */
	index: number;
	param(name: string, fallback: unknown, options?: IGetNodeParameterOptions): unknown;
	binary(): IBinaryKeyData | undefined;
	binaryBuffer(property: string): Promise<Buffer>;
}

/** Whether anything at `path` of the node's parameters is an expression (a string starting with "="). */
function holdsExpression(value: unknown, path: string[]): boolean {
	if (path.length) {
		if (typeof value !== 'object' || value === null) return false;
		return holdsExpression((value as Record<string, unknown>)[path[0]], path.slice(1));
	}
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value === 'object' && value !== null) return Object.values(value).some((entry) => holdsExpression(entry, []));
	return false;
}

/**
 * Every item of the run. A parameter that holds no expression has the same value for every item:
 * it is read once, not a thousand times (each read resolves and copies the value).
 */
export function itemsOf(ctx: IExecuteFunctions): ItemInput[] {
	const parameters = ctx.getNode().parameters;
	const fixed = new Map<string, unknown>();
	return ctx.getInputData().map((item, index) => ({
		index,
		param: (name, fallback, options) => {
			if (holdsExpression(parameters, name.split('.'))) return ctx.getNodeParameter(name, index, fallback, options);
			const key = JSON.stringify([name, fallback ?? null, options ?? null]);
			if (!fixed.has(key)) fixed.set(key, ctx.getNodeParameter(name, index, fallback, options));
			return fixed.get(key);
		},
		binary: () => item.binary,
		binaryBuffer: async (property) => await ctx.helpers.getBinaryDataBuffer(index, property),
	}));
}

export const singleItem = (ctx: IExecuteSingleFunctions): ItemInput => ({
	index: ctx.getItemIndex(),
	param: (name, fallback, options) => ctx.getNodeParameter(name, fallback, options),
	binary: () => ctx.getInputData().binary,
	binaryBuffer: async (property) => await ctx.helpers.getBinaryDataBuffer(property),
});
