import type { IExecuteSingleFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

/**
 * n8n's RoutingNode prepares every item of a run and then starts all their requests at once
 * (one `makeRequest` per item, awaited together). In a stop-on-fail run one invalid item must
 * stop every submit, so the items' checks meet here: each item waits until all items of the run
 * have been checked, and none goes on unless all passed. With Continue On Fail items stay independent.
 */
interface Gate {
	expected: number;
	seated: Set<number>;
	results: Map<number, Error | undefined>;
	open: () => void;
	opened: Promise<void>;
	/** Set when some item never reached the gate: n8n stopped the run before preparing it. */
	missing?: number[];
}

const gates = new WeakMap<object, Gate>();

/** All items of the run, as n8n handed them to this node (their requests start together). */
function itemCount(ctx: IExecuteSingleFunctions): number {
	const input = ctx.getExecuteData()?.data;
	const items = input?.main?.[0] ?? input?.ai_tool?.[0];
	return Math.max(items?.length ?? 1, ctx.getItemIndex() + 1);
}

function settleIfComplete(key: object, gate: Gate): void {
	if (gate.results.size < gate.seated.size || (gate.seated.size < gate.expected && !gate.missing)) return;
	gates.delete(key);
	gate.open();
}

/**
 * Takes this item's seat at its run's gate. Call it synchronously at the very start of the first
 * preSend: n8n starts every item's preSend in one synchronous loop, so once that loop has ended
 * (the next timer) every item that will ever arrive has a seat.
 */
export function joinRun(ctx: IExecuteSingleFunctions): <T>(check: () => Promise<T>) => Promise<T> {
	if (ctx.continueOnFail()) return async (check) => await check();
	const key = ctx.getExecuteData() ?? ctx.getNode();
	let gate = gates.get(key);
	if (!gate) {
		let open!: () => void;
		const opened = new Promise<void>((resolve) => (open = resolve));
		const created: Gate = { expected: itemCount(ctx), seated: new Set(), results: new Map(), open, opened };
		gates.set(key, created);
		void sleep(0).then(() => {
			if (created.seated.size < created.expected) {
				created.missing = Array.from({ length: created.expected }, (_, i) => i).filter((i) => !created.seated.has(i));
				settleIfComplete(key, created);
			}
		});
		gate = created;
	}
	const seat = gate;
	const itemIndex = ctx.getItemIndex();
	seat.seated.add(itemIndex);

	return async <T>(check: () => Promise<T>): Promise<T> => {
		let result: T | undefined;
		let problem: Error | undefined;
		try {
			result = await check();
		} catch (error) {
			problem = error as Error;
		}
		seat.results.set(itemIndex, problem);
		settleIfComplete(key, seat);
		await seat.opened;
		if (problem) throw problem;
		const [firstBad, firstProblem] = [...seat.results.entries()].filter(([, error]) => error).sort(([a], [b]) => a - b)[0] ?? [];
		if (firstBad !== undefined && firstProblem) {
			throw new NodeOperationError(ctx.getNode(), `Item ${firstBad + 1} of this run is invalid, so no item was sent: ${firstProblem.message}`, {
				itemIndex,
				description: `${(firstProblem as NodeOperationError).description ?? ''} Every item of a run is checked before the first submit; fix item ${firstBad + 1} (or enable Continue On Fail to send the valid items). Nothing was sent to GMI.`.trim(),
			});
		}
		if (seat.missing?.length) {
			throw new NodeOperationError(ctx.getNode(), `n8n stopped this run before item ${seat.missing[0] + 1} was prepared, so no item was sent`, {
				itemIndex,
				description: 'Nothing was sent to GMI.',
			});
		}
		return result as T;
	};
}
