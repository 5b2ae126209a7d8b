/** The simulator is held to its own specification, so the node is proven against a model that is itself checked. */
import { execFile } from 'child_process';
import { join } from 'path';

test('the GMI simulator passes its selftest', async () => {
	const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
		const child = execFile(process.execPath, [join(__dirname, 'selftest.js')], { timeout: 120_000 }, (_error, out, err) => resolve({ code: child.exitCode, stdout: out, stderr: err }));
	});
	// A failing check prints `FAIL <name>` and its stack on the lines that follow.
	expect(stderr.split(/\n(?=  (?:ok|FAIL) )/).filter((block) => block.includes('FAIL'))).toEqual([]);
	expect(stdout).toMatch(/selftest: \d+ passed, 0 failed/);
	expect(code).toBe(0);
}, 150_000);
