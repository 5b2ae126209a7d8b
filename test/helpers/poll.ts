/**
 * Runs the Hailuo Trigger the way an n8n main process does: n8n-core's PollContext and the
 * PollTriggerExecutor that ActiveWorkflowTriggers calls on activation and on every cron tick,
 * and "Fetch Test Event" through WorkflowExecute in manual mode, as the editor does.
 *
 * The workflow's expressions run in n8n 2.x's isolate engine (QuickJS here: the same evaluator
 * and isolate pool as n8n's default isolated-vm, without a native build), so a poll that outlives
 * its tick's isolate fails here as it does in n8n ("No bridge acquired for this context").
 *
 * Static data is kept as n8n persists it: a copy is "saved" when a poll emits (n8n's `__emit`
 * saves the workflow's static data) and when an activation finishes (ActiveWorkflowManager.add
 * ends with a save). `restart()` builds a new workflow from that saved copy only, so whatever a
 * poll changed without emitting is lost, as after a crash.
 */
import './engine';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, PollContext, PollTriggerExecutor, WorkflowExecute } from 'n8n-core';
import {
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	Expression,
	Workflow,
} from 'n8n-workflow';

import { HailuoTrigger } from '../../nodes/HailuoTrigger/HailuoTrigger.node';
import { additionalDataFor } from './engine';

export const TRIGGER_TYPE = 'n8n-nodes-hailuo.hailuoTrigger';

/** The trigger as a workflow holds it, polling every minute unless the parameters say otherwise. */
function triggerNode(parameters: INodeParameters): INode {
	return {
		id: 'trigger',
		name: 'Hailuo Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...parameters },
		credentials: { gmiCloudApi: { id: '1', name: 'GMI Cloud API' } },
	};
}

/** As n8n's loader does for a node with `polling: true`: the standard Poll Times come first. */
function loadedTrigger(): INodeType {
	const node = new HailuoTrigger();
	node.description.properties.unshift({
		displayName: 'Poll Times',
		name: 'pollTimes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Poll Time' },
		default: { item: [{ mode: 'everyMinute' }] },
		options: [],
	});
	return node;
}

const triggerNodeTypes: INodeTypes = {
	getByName: () => loadedTrigger(),
	getByNameAndVersion: () => loadedTrigger(),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

/** For a suite: n8n 2.x's expression isolates, acquired and released per poll by the executor. */
export function useExpressionIsolates(): void {
	beforeAll(async () => await Expression.initExpressionEngine({ engine: 'quickjs', poolSize: 1, maxCodeCacheSize: 1024, bridgeTimeout: 5000, bridgeMemoryLimit: 128 }));
	afterAll(async () => await Expression.disposeExpressionEngine());
}

/** What n8n's logger received at warn and error level (printed nowhere): the trigger's warnings, n8n's error reports. */
export const logged: Array<{ level: 'warn' | 'error'; message: string }> = [];

/** For a suite: n8n's logger records instead of printing, so expected failures stay quiet and warnings can be asserted. */
export function captureLogs(): void {
	beforeAll(() => {
		const logger = Container.get(Logger);
		for (const level of ['warn', 'error'] as const) {
			jest.spyOn(logger, level).mockImplementation((...[message]: [string, ...unknown[]]) => void logged.push({ level, message }));
		}
	});
	afterEach(() => (logged.length = 0));
	afterAll(() => jest.restoreAllMocks());
}

let workflowCount = 0;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? {})) as T;

export interface PollOutcome {
	/** Items of this poll's emit (empty when it emitted nothing). */
	items: INodeExecutionData[];
	/** The error n8n would record as a failed trigger execution. */
	error?: Error;
	/** How many executions this tick started (n8n starts one per emit). */
	emits?: number;
}

export class ActiveTrigger {
	/** Static data as n8n last persisted it. */
	saved: IDataObject;

	/** Every item emitted since this trigger (this "process") started. */
	readonly emitted: INodeExecutionData[] = [];

	private readonly workflow: Workflow;

	private readonly node: INode;

	private readonly credentials: ICredentialDataDecryptedObject;

	/** The poll budget n8n 2.x hands the node (getPollBudgetMs); n8n-core's default when unset. */
	pollBudgetMs?: number;

	constructor(parameters: INodeParameters, credentials: ICredentialDataDecryptedObject, saved: IDataObject = {}) {
		this.credentials = credentials;
		this.saved = clone(saved);
		this.node = triggerNode(parameters);
		// One active trigger per workflow and node, as in n8n: each instance is its own workflow.
		this.workflow = new Workflow({
			id: `trigger-test-${++workflowCount}`,
			nodes: [this.node],
			connections: {},
			nodeTypes: triggerNodeTypes,
			active: true,
			staticData: clone(this.saved),
		});
	}

	/** Static data as it is in memory now (saved or not). */
	get memory(): IDataObject {
		return clone(this.workflow.staticData);
	}

	/** Activation: n8n runs one poll at once (errors fail the activation), then saves static data. */
	async activate(): Promise<PollOutcome> {
		const outcome = await this.poll(true);
		this.saved = clone(this.workflow.staticData);
		return outcome;
	}

	/** One cron tick. Ticks may overlap, as n8n's cron starts one whenever it is due. */
	async tick(): Promise<PollOutcome> {
		return await this.poll(false);
	}

	/** n8n stopped and started again: a new process activates the workflow from the saved static data. */
	async restart(): Promise<{ trigger: ActiveTrigger; outcome: PollOutcome }> {
		const trigger = new ActiveTrigger(this.node.parameters, this.credentials, this.saved);
		trigger.pollBudgetMs = this.pollBudgetMs;
		return { trigger, outcome: await trigger.activate() };
	}

	private async poll(activation: boolean): Promise<PollOutcome> {
		const outcome: PollOutcome = { items: [] };
		const context = new PollContext(
			this.workflow,
			this.node,
			additionalDataFor(this.credentials),
			'trigger',
			activation ? 'activate' : 'update',
			(data) => {
				outcome.items = data[0] ?? [];
				outcome.emits = (outcome.emits ?? 0) + 1;
				this.emitted.push(...outcome.items);
				this.saved = clone(this.workflow.staticData);
			},
			(error) => {
				outcome.error = error;
			},
			undefined,
			undefined,
			undefined,
			this.pollBudgetMs === undefined ? undefined : () => this.pollBudgetMs as number,
		);
		const execute = Container.get(PollTriggerExecutor).create(this.workflow, this.node, context, () => true);
		// The executor acquires the isolate for cron ticks only; on activation n8n's activator holds it around the first poll.
		if (activation) await this.workflow.expression.acquireIsolate();
		try {
			await execute(activation);
		} catch (error) {
			outcome.error = error as Error;
		} finally {
			if (activation) await this.workflow.expression.releaseIsolate();
		}
		return outcome;
	}
}

/** "Fetch Test Event" in the editor: a manual run of the workflow with the trigger as its start. */
export async function fetchTestEvent(
	parameters: INodeParameters,
	credentials: ICredentialDataDecryptedObject,
	staticData: IDataObject = {},
): Promise<{ items: INodeExecutionData[]; error?: Error; staticData: IDataObject }> {
	const node = triggerNode(parameters);
	const workflow = new Workflow({ id: 'trigger-test', nodes: [node], connections: {}, nodeTypes: triggerNodeTypes, active: false, staticData: clone(staticData) });
	const hooks = new ExecutionLifecycleHooks('manual', '1', { id: 'trigger-test', name: 'test', nodes: [node], connections: {}, active: false } as never);
	let finished: (run: IRun) => void = () => undefined;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));
	const runExecutionData = {
		resultData: { runData: {} },
		executionData: {
			metadata: {},
			contextData: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node, data: { main: [[{ json: {} }]] }, source: null }],
		},
	} as unknown as IRunExecutionData;
	const run = await new WorkflowExecute(additionalDataFor(credentials, hooks), 'manual', runExecutionData)
		.processRunExecutionData(workflow)
		.catch(async () => await done);
	const task = run.data.resultData.runData['Hailuo Trigger']?.[0];
	return {
		items: task?.data?.main?.[0] ?? [],
		error: (run.data.resultData.error ?? task?.error) as Error | undefined,
		staticData: clone(workflow.staticData),
	};
}
