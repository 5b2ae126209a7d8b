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

export const itemsOf = (ctx: IExecuteFunctions): ItemInput[] =>
	ctx.getInputData().map((item, index) => ({
		index,
		param: (name, fallback, options) => ctx.getNodeParameter(name, index, fallback, options),
		binary: () => item.binary,
		binaryBuffer: async (property) => await ctx.helpers.getBinaryDataBuffer(index, property),
	}));

export const singleItem = (ctx: IExecuteSingleFunctions): ItemInput => ({
	index: ctx.getItemIndex(),
	param: (name, fallback, options) => ctx.getNodeParameter(name, fallback, options),
	binary: () => ctx.getInputData().binary,
	binaryBuffer: async (property) => await ctx.helpers.getBinaryDataBuffer(property),
});
