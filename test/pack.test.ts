/**
 * What `npm pack` publishes (the same checks as `npm run check:pack`): only the built node and
 * credential with their icons and codex file, package.json, README.md and LICENSE; no tests,
 * simulator, fixtures, source maps or docs/; no runtime dependencies; at most 60 kB.
 * Builds first when dist/ is missing or older than the sources.
 */
import { join } from 'path';

interface PackFile {
	path: string;
	size: number;
}
interface Pack {
	filename: string;
	size: number;
	unpackedSize: number;
	files: PackFile[];
}
interface Report {
	problems: string[];
	warnings: string[];
}
interface CheckPack {
	MAX_PACKED_BYTES: number;
	checkPack(pack: Pack, pkg: Record<string, unknown>, extra?: { icons?: string[]; sourceExists?: (file: string) => boolean }): Report;
	printReport(report: Report & { pack: Pack }, write: (line: string) => void): void;
	run(options?: { build?: boolean }): Report & { pack: Pack; icons: string[]; pkg: Record<string, unknown>; built: string };
}

const { MAX_PACKED_BYTES, checkPack, printReport, run } = require(join(__dirname, '..', 'scripts', 'check-pack.js')) as CheckPack;

describe('the published package', () => {
	let report: ReturnType<CheckPack['run']>;
	beforeAll(() => {
		report = run();
	}, 180_000);

	test('breaks none of the rules', () => {
		const lines: string[] = [];
		printReport(report, (line) => lines.push(line));
		expect({ problems: report.problems, report: lines.join('\n') }).toEqual({ problems: [], report: expect.any(String) });
	});

	test('holds the node, the credential, their icons and the codex file', () => {
		const paths = report.pack.files.map((f) => f.path);
		expect(paths).toEqual(
			expect.arrayContaining([
				'dist/nodes/Hailuo/Hailuo.node.js',
				'dist/nodes/Hailuo/Hailuo.node.json',
				'dist/nodes/HailuoTrigger/HailuoTrigger.node.js',
				'dist/nodes/HailuoTrigger/HailuoTrigger.node.json',
				'dist/credentials/GmiCloudApi.credentials.js',
				'package.json',
				'README.md',
				'LICENSE',
			]),
		);
		expect(report.icons.length).toBeGreaterThan(0);
		expect(paths).toEqual(expect.arrayContaining(report.icons));
	});

	test('holds nothing outside dist/ but package.json, README.md, LICENSE (and the tiny "main" file)', () => {
		const outside = report.pack.files.map((f) => f.path).filter((p) => !p.startsWith('dist/'));
		const main = typeof report.pkg.main === 'string' ? [report.pkg.main] : [];
		expect(outside.filter((p) => !['package.json', 'README.md', 'LICENSE', ...main].includes(p))).toEqual([]);
	});

	test('has no runtime dependencies', () => {
		expect(report.pkg.dependencies ?? {}).toEqual({});
	});

	test(`is at most ${MAX_PACKED_BYTES / 1000} kB`, () => {
		expect(report.pack.size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
	});
});

describe('the pack check itself', () => {
	const pkg = { main: 'index.js', n8n: { nodes: ['dist/nodes/A/A.node.js'], credentials: ['dist/credentials/B.credentials.js'] } };
	const good: PackFile[] = ['dist/nodes/A/A.node.js', 'dist/nodes/A/A.node.json', 'dist/nodes/A/a.svg', 'dist/credentials/B.credentials.js', 'package.json', 'README.md', 'LICENSE'].map(
		(path) => ({ path, size: 100 }),
	);
	const pack = (files: PackFile[], size = 1000): Pack => ({ filename: 'x.tgz', size, unpackedSize: size * 3, files });
	const problemsOf = (files: PackFile[], extra: Partial<{ size: number; pkg: Record<string, unknown>; icons: string[]; sourceExists: (f: string) => boolean }> = {}) =>
		checkPack(pack(files, extra.size), extra.pkg ?? pkg, { icons: extra.icons ?? ['dist/nodes/A/a.svg'], sourceExists: extra.sourceExists }).problems;

	test('passes a lean package', () => {
		expect(problemsOf(good)).toEqual([]);
	});

	test.each([
		['simulator code', 'test/simulator/index.js', /simulator/],
		['a test compiled into dist', 'dist/nodes/A/A.test.js', /a test file/],
		['a source map', 'dist/nodes/A/A.node.js.map', /source map/],
		['a fixture', 'dist/fixtures/image.png', /fixture/],
		['TypeScript sources', 'nodes/A/A.node.ts', /only dist\//],
		['other JSON in dist', 'dist/nodes/A/data.json', /only dist\//],
	])('flags %s', (_name, path, expected) => {
		expect(problemsOf([...good, { path, size: 10 }])).toEqual([expect.stringMatching(expected)]);
	});

	test('flags output whose source is gone, a missing codex file, icon, README or LICENSE', () => {
		expect(problemsOf(good, { sourceExists: (f) => !f.includes('credentials') })).toEqual([expect.stringMatching(/B\.credentials\.js: no source/)]);
		expect(problemsOf(good.filter((f) => !f.path.endsWith('.node.json')))).toEqual([expect.stringMatching(/codex/)]);
		expect(problemsOf(good, { icons: ['dist/nodes/A/a.svg', 'dist/nodes/A/a.dark.svg'] })).toEqual([expect.stringMatching(/a\.dark\.svg.*icon/)]);
		expect(problemsOf(good.filter((f) => f.path !== 'LICENSE' && f.path !== 'README.md'))).toHaveLength(2);
	});

	test('flags runtime dependencies and an oversized tarball', () => {
		expect(problemsOf(good, { pkg: { ...pkg, dependencies: { axios: '1' } } })).toEqual([expect.stringMatching(/dependencies: axios/)]);
		expect(problemsOf(good, { size: MAX_PACKED_BYTES + 1 })).toEqual([expect.stringMatching(/over the/)]);
	});

	test('only warns about the file package.json "main" names', () => {
		const report = checkPack(pack([...good, { path: 'index.js', size: 50 }]), pkg, { icons: [] });
		expect(report).toEqual({ problems: [], warnings: [expect.stringMatching(/^index\.js: packed because package\.json "main"/)] });
	});
});
