/**
 * Stopping an execution mid-wait, through the path n8n takes for a declarative node: the
 * RoutingNode runs on the execution's own context, whose cancel signal reaches the wait loop.
 */
import { submit, useSimulator } from '../helpers/fixtures';

const gmi = useSimulator({ queuedMs: 20, processingMs: 60_000 });
/** Status reads of either kind: the job list that refreshes a batch, or one job's own record. */
const statusPolls = () => gmi.sim.requests.filter((r) => r.method === 'GET' && /\/requests(\/[^/?]+)?(\?|$)/.test(r.path));

describe('cancelling an execution while it waits', () => {
	test('polling stops at once, nothing more is sent, and the error lists the jobs still running', async () => {
		const { error, cancelledAt } = await gmi.run(submit({ prompt: '={{ $json.prompt }}', waitUntilDone: true, pollInterval: 1, timeout: 120 }), {
			items: [{ json: { prompt: 'Long take A' } }, { json: { prompt: 'Long take B' } }],
			cancelAfterMs: 2500,
		});
		const requestsAtEnd = gmi.sim.requests.length;

		// The jobs were polled while waiting (together, through the job list); after the cancel at
		// most the polls already on the wire arrive (their sockets are aborted), and none is sent later.
		expect(statusPolls().filter((r) => r.at <= cancelledAt!).length).toBeGreaterThanOrEqual(1);
		expect(gmi.sim.requests.filter((r) => r.at > cancelledAt!).length).toBeLessThanOrEqual(2);
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(gmi.sim.requests.length).toBe(requestsAtEnd);

		expect(error?.message).toMatch(/The execution was cancelled while waiting for video requests/);
		for (const id of gmi.sim.requestIds) expect(error?.message).toContain(id);
		expect(error?.description).toMatch(/keep running at GMI/);
	});

	test('a download in progress is let go of too, naming its request id', async () => {
		gmi.sim.configure({ processingMs: 50 });
		gmi.sim.addFault({ server: 'files', kind: 'hang', path: '/videos/' });
		const { error } = await gmi.run(submit({ waitUntilDone: true, pollInterval: 1, timeout: 60, downloadVideo: true }), { cancelAfterMs: 2500 });
		expect(error?.message).toBe(`The execution was cancelled while downloading the video of request ${gmi.sim.requestIds[0]}`);
	});
});
