/**
 * What every Hailuo Trigger suite stands on: GMI's clock moved by the tests (jobs progress only
 * when it does), a simulator on it, n8n's expression isolates, n8n's log captured, and a way to
 * submit straight to GMI (the trigger's subject is what happens after the submit).
 */
import type { INodeParameters } from 'n8n-workflow';

import { API_KEY, useSimulator } from './fixtures';
import { ActiveTrigger, captureLogs, useExpressionIsolates } from './poll';

export function useTriggerWorld() {
	const clock = { now: Date.UTC(2026, 0, 5, 9, 0, 0) };
	// Every job is queued 5 s, then renders 60 s unless its prompt says otherwise (#ms=, #fail, #cancel, #stuck).
	const gmi = useSimulator({ now: () => clock.now, queuedMs: 5_000, processingMs: 60_000 });
	useExpressionIsolates();
	captureLogs();
	return {
		clock,
		gmi,
		advance: (seconds: number) => (clock.now += seconds * 1000),
		trigger: (parameters: INodeParameters = {}) =>
			new ActiveTrigger({ event: 'succeeded', model: { __rl: true, mode: 'list', value: '*' }, ...parameters }, gmi.credentials()),
		submitJobs: async (prompts: string[], model = 'Minimax-Hailuo-02'): Promise<string[]> => {
			const ids: string[] = [];
			for (const prompt of prompts) {
				const response = await fetch(`${gmi.sim.baseUrl}/requests`, {
					method: 'POST',
					headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
					body: JSON.stringify({ model, payload: { prompt } }),
				});
				ids.push(((await response.json()) as { request_id: string }).request_id);
			}
			return ids;
		},
	};
}
