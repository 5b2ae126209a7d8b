/**
 * The release set-up says one thing everywhere: the n8n versions the e2e proves (the runtime
 * helper, the GitHub CI matrix, the README), and a publish step that n8n accepts (provenance,
 * OIDC, no token) — the workflow rules of `npm run lint:workflows` catch each way to break it.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const { TESTED_N8N_VERSIONS } = require(join(ROOT, 'scripts', 'lib', 'n8n-runtime.js')) as { TESTED_N8N_VERSIONS: string[] };
const { releaseProblems } = require(join(ROOT, 'scripts', 'lint-workflows.js')) as {
	releaseProblems(file: string, text: string): string[];
};

describe('tested n8n versions', () => {
	test('the GitHub CI matrix runs the e2e on each, the editor on the first only', () => {
		const ci = read('.github/workflows/ci.yml');
		const rows = [...ci.matchAll(/- n8n: '([^']+)'\s+editor: (true|false)/g)].map((m) => ({ n8n: m[1], editor: m[2] === 'true' }));
		expect(rows).toEqual(TESTED_N8N_VERSIONS.map((n8n, i) => ({ n8n, editor: i === 0 })));
	});

	test('the README table lists each', () => {
		const section = read('README.md').split('### Tested n8n versions')[1]?.split('\n### ')[0] ?? '';
		const rows = [...section.matchAll(/^\| (\d+\.\d+\.\d+)/gm)].map((m) => m[1]);
		expect(rows).toEqual(TESTED_N8N_VERSIONS);
	});
});

describe('publishing', () => {
	const release = read('.github/workflows/release.yml');

	test('the release workflow publishes with provenance through OIDC and reads no secret', () => {
		expect(releaseProblems('release.yml', release)).toEqual([]);
		expect(release).toMatch(/npm publish --provenance --access public/);
	});

	test.each([
		['a token from the secrets', (w: string) => w.replace('run: npm publish', 'env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n        run: npm publish'), /reads a secret/],
		['no id-token permission', (w: string) => w.replace(/^\s*id-token: write\s*$/m, ''), /id-token: write/],
		['a publish without provenance', (w: string) => w.replace('npm publish --provenance', 'npm publish'), /without --provenance/],
	])('%s is a problem', (_name, plant, problem) => {
		const planted = plant(release);
		expect(planted).not.toBe(release);
		expect(releaseProblems('release.yml', planted)).toEqual([expect.stringMatching(problem)]);
	});

	test('package.json asks npm for provenance, so a publish from outside CI fails', () => {
		expect(JSON.parse(read('package.json')).publishConfig).toEqual({ access: 'public', provenance: true });
	});
});
