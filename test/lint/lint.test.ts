/**
 * `npm run lint` checks what n8n checks: a violation planted in a copy of the project, in
 * package.json or in a node file, makes the lint fail with n8n's rule for it and nothing else.
 * The copy gets the project's package.json, eslint.config.mjs, tsconfig.json, nodes/ and
 * credentials/ (node_modules linked), and the lint runs there as `npm run lint`.
 */
import { spawnSync } from 'child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';

const PROJECT = join(__dirname, '..', '..');
const COPIED = ['package.json', 'eslint.config.mjs', 'tsconfig.json', 'nodes', 'credentials'];

interface Problem {
	file: string;
	ruleId: string | null;
	severity: number;
}

function copyProject(): string {
	const dir = mkdtempSync(join(tmpdir(), 'hailuo-lint-'));
	for (const entry of COPIED) cpSync(join(PROJECT, entry), join(dir, entry), { recursive: true });
	symlinkSync(join(PROJECT, 'node_modules'), join(dir, 'node_modules'), 'dir');
	return dir;
}

/** `npm run lint` in `dir`, with ESLint's JSON report. */
function lint(dir: string): { code: number | null; problems: Problem[] } {
	const npmCli = process.env.npm_execpath && /\.[cm]?js$/.test(process.env.npm_execpath) ? [process.execPath, process.env.npm_execpath] : ['npm'];
	const [cmd, ...pre] = npmCli;
	// jest sets NODE_ENV=test, under which eslint-plugin-n8n-nodes-base takes every file for "Test.node.ts"
	const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'NODE_ENV'));
	const r = spawnSync(cmd, [...pre, 'run', '--silent', 'lint', '--', '--format', 'json'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	const json = r.stdout.slice(r.stdout.indexOf('['));
	let report: Array<{ filePath: string; messages: Array<{ ruleId: string | null; severity: number }> }>;
	try {
		report = JSON.parse(json);
	} catch {
		throw new Error(`npm run lint printed no JSON report (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
	}
	const problems = report.flatMap((f) => f.messages.map((m) => ({ file: relative(dir, f.filePath), ruleId: m.ruleId, severity: m.severity })));
	return { code: r.status, problems };
}

const plants: Array<{ name: string; plant: (dir: string) => void; file: string; ruleId: string }> = [
	{
		name: 'package.json: an author without an email',
		file: 'package.json',
		ruleId: '@n8n/community-nodes/valid-author',
		plant: (dir) => {
			const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
			pkg.author = { name: pkg.author.name };
			writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
		},
	},
	{
		name: 'package.json: a runtime dependency',
		file: 'package.json',
		ruleId: '@n8n/community-nodes/no-runtime-dependencies',
		plant: (dir) => {
			const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
			pkg.dependencies = { axios: '1.18.0' };
			writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
		},
	},
	{
		name: 'node file: setTimeout, which n8n Cloud does not allow',
		file: join('nodes', 'Hailuo', 'Hailuo.node.ts'),
		ruleId: '@n8n/community-nodes/no-restricted-globals',
		plant: (dir) => appendFileSync(join(dir, 'nodes', 'Hailuo', 'Hailuo.node.ts'), '\nexport const planted = (): void => {\n\tsetTimeout(() => undefined, 1);\n};\n'),
	},
];

describe('npm run lint fails on what n8n rejects', () => {
	const dirs: string[] = [];
	afterAll(() => {
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	});

	test.each(plants)('$name → $ruleId', ({ plant, file, ruleId }) => {
		const dir = copyProject();
		dirs.push(dir);
		plant(dir);
		const { code, problems } = lint(dir);
		expect({ code, problems }).toEqual({ code: 1, problems: [{ file, ruleId, severity: 2 }] });
	}, 180_000);
});
