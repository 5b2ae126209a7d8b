/**
 * Runs the Hailuo node the way n8n does: a real Workflow, n8n-core's WorkflowExecute, the
 * `execute` method n8n's NodeTypes gives every declarative node (a RoutingNode on the execution's
 * own context, so the cancel signal reaches the node), and a credentials helper that applies the
 * credential's generic `authenticate` rule through the workflow's expression engine.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'hailuo-n8n-'));
// n8n logs every accepted job at info level; the suites read better with warnings and errors only.
process.env.N8N_LOG_LEVEL ??= 'warn';

import { ExecuteContext as ExecuteContextClass, type ExecuteContext, ExecutionLifecycleHooks, LoadOptionsContext, RoutingNode, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type ILoadOptionsFunctions,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	NodeConnectionTypes,
	Workflow,
} from 'n8n-workflow';

import { GmiCloudApi } from '../../credentials/GmiCloudApi.credentials';
import { Hailuo } from '../../nodes/Hailuo/Hailuo.node';

export const HAILUO_TYPE = 'n8n-nodes-hailuo.hailuo';
const INPUT_TYPE = 'test.input';

/** Emits the test's input items, as a trigger or a previous node would. */
class InputNode implements INodeType {
	description = {
		displayName: 'Input',
		name: INPUT_TYPE,
		group: ['input'],
		version: 1,
		description: 'Test input',
		defaults: { name: 'Input' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [inputItems.get(this.getNode().id) ?? [{ json: {} }]];
	}
}

/** Each run's input, by its Input node's id, so runs can overlap. */
const inputItems = new Map<string, INodeExecutionData[]>();

const credentialTypes: Record<string, ICredentialType> = { gmiCloudApi: new GmiCloudApi() };

/**
 * As n8n's own NodeTypes (packages/cli/src/node-types.ts): a declarative node gets an `execute`
 * that runs a RoutingNode on the ExecuteContext, which carries the execution's cancel signal.
 * (WorkflowExecute's fallback for a node without `execute` passes no signal: n8n never takes it.)
 */
function declarative(nodeType: INodeType): INodeType {
	nodeType.execute = async function (this: IExecuteFunctions) {
		const data = await new RoutingNode(this as ExecuteContext, nodeType).runNode();
		return data ?? [];
	};
	return nodeType;
}

export const nodeTypes: INodeTypes = {
	getByName: (type: string) => (type === HAILUO_TYPE ? declarative(new Hailuo()) : new InputNode()),
	getByNameAndVersion: (type: string) => (type === HAILUO_TYPE ? declarative(new Hailuo()) : new InputNode()),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** As n8n's own helper: every header of the generic rule, resolved by the expression engine. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		const authenticate = type?.authenticate;
		if (!authenticate || typeof authenticate === 'function' || !workflow || !node) return requestOptions;
		const resolve = (value: string) => {
			if (value.charAt(0) !== '=') return value;
			const result = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
			return result ? String(result) : '';
		};
		const options = requestOptions as unknown as Record<string, Record<string, string>>;
		for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
			options[outerKey] ??= {};
			for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
				options[outerKey][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication(_h: IHttpRequestHelper, _c: ICredentialDataDecryptedObject): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return this.data;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return [];
	}
}

export interface RunOptions {
	parameters: INodeParameters;
	credentials: ICredentialDataDecryptedObject;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** Cancels the execution after this many ms, as a user pressing "Stop" would. */
	cancelAfterMs?: number;
	/** The node's "Retry On Fail" setting: n8n re-runs the whole node up to `maxTries` times (1 s apart by default). */
	retryOnFail?: { maxTries: number; waitBetweenTries?: number };
}

export interface RunResult {
	/** The Hailuo node's output items (empty when the node failed). */
	items: INodeExecutionData[];
	/** When the run was cancelled (ms timestamp), with `cancelAfterMs`. */
	cancelledAt?: number;
	/** The node's error, when the run stopped on it. */
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string };
	/** The execution hints n8n shows above the node's output. */
	hints: Array<{ message: string; type?: string }>;
	run: IRun;
}

export function additionalDataFor(credentials: ICredentialDataDecryptedObject, hooks?: ExecutionLifecycleHooks, executionId?: string): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		executionId,
		credentialsHelper: new CredentialsHelper(credentials),
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: async () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** The Hailuo node of a test workflow, with the simulator's credential. */
export const hailuoNode = (parameters: INodeParameters): INode => ({
	id: 'hailuo',
	name: 'Hailuo',
	type: HAILUO_TYPE,
	typeVersion: 1,
	position: [0, 0],
	parameters,
	credentials: { gmiCloudApi: { id: '1', name: 'GMI Cloud API' } },
});

/** The context n8n gives a node's listSearch / loadOptions methods while the user edits it. */
export function loadOptionsContext(parameters: INodeParameters, credentials: ICredentialDataDecryptedObject): ILoadOptionsFunctions {
	const node = hailuoNode(parameters);
	const workflow = new Workflow({ id: 'test', nodes: [node], connections: {}, nodeTypes, active: false });
	return new LoadOptionsContext(workflow, node, additionalDataFor(credentials), 'parameters.model');
}

let runCount = 0;

export async function runHailuo(options: RunOptions): Promise<RunResult> {
	const inputId = `in-${++runCount}`;
	inputItems.set(inputId, options.items ?? [{ json: {} }]);
	const nodes: INode[] = [
		{ id: inputId, name: 'Input', type: INPUT_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'hailuo',
			name: 'Hailuo',
			type: HAILUO_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: { gmiCloudApi: { id: '1', name: 'GMI Cloud API' } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(options.retryOnFail ? { retryOnFail: true, maxTries: options.retryOnFail.maxTries, waitBetweenTries: options.retryOnFail.waitBetweenTries } : {}),
		},
	];
	const workflow = new Workflow({
		id: 'test',
		nodes,
		connections: { Input: { main: [[{ node: 'Hailuo', type: NodeConnectionTypes.Main, index: 0 }]] } },
		nodeTypes,
		active: false,
	});

	const executionId = String(runCount);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, { id: 'test', name: 'test', nodes, connections: {}, active: false } as never);
	let finished: (run: IRun) => void = () => undefined;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));

	const additionalData = additionalDataFor(options.credentials, hooks, executionId);

	const runExecutionData: IRunExecutionData = {
		resultData: { runData: {} },
		executionData: {
			metadata: {},
			contextData: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
		},
	} as unknown as IRunExecutionData;

	let execution: ReturnType<WorkflowExecute['processRunExecutionData']>;
	try {
		execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	} catch (error) {
		// n8n refuses to start a workflow whose nodes have issues (e.g. an empty required field).
		return { items: [], error: error as RunResult['error'], hints: [], run: undefined as unknown as IRun };
	}
	let cancelledAt: number | undefined;
	if (options.cancelAfterMs !== undefined) {
		const timer = setTimeout(() => {
			cancelledAt = Date.now();
			execution.cancel();
		}, options.cancelAfterMs);
		void execution.finally(() => clearTimeout(timer)).catch(() => undefined);
	}
	const run = await execution.catch(async () => await done).finally(() => inputItems.delete(inputId));
	const taskData = run.data.resultData.runData.Hailuo?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		error: (run.data.resultData.error ?? taskData?.error) as RunResult['error'],
		hints: (taskData?.hints ?? []) as RunResult['hints'],
		cancelledAt,
		run,
	};
}

/**
 * One try of the Hailuo node as n8n-core's WorkflowExecute runs a custom operation: a fresh
 * ExecuteContext, with a fresh execute-data object, over the execution's `runExecutionData`. Two
 * calls sharing `runExecutionData` are two tries of one run (Retry On Fail), sharing nothing else.
 */
export function executeContextFor(options: { parameters: INodeParameters; credentials: ICredentialDataDecryptedObject; items: INodeExecutionData[]; runExecutionData: IRunExecutionData }): ExecuteContext {
	const node = hailuoNode(options.parameters);
	const workflow = new Workflow({ id: 'test', nodes: [node], connections: {}, nodeTypes, active: false });
	const inputData = { main: [options.items] };
	const executeData = { node, data: inputData, source: null };
	return new ExecuteContextClass(workflow, node, additionalDataFor(options.credentials), 'manual', options.runExecutionData, 0, options.items, inputData, executeData, []);
}

/** An execution's data as WorkflowExecute starts it: what every try of a node shares. */
export const freshExecutionData = (): IRunExecutionData =>
	({ resultData: { runData: {} }, executionData: { contextData: {}, nodeExecutionStack: [], metadata: {}, waitingExecution: {}, waitingExecutionSource: null } }) as unknown as IRunExecutionData;
