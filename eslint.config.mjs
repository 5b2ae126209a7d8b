import { config } from '@n8n/node-cli/eslint';

/**
 * n8n's own lint for community nodes, as `n8n-node lint` runs it and as its package scanner
 * (`npm run check:scanner`) mirrors it: package.json is parsed by the TypeScript parser, so the
 * community-nodes package.json rules (author, peer dependencies, …) really run.
 */
export default [
	...config,
	{ ignores: ['node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'docs/**', 'examples/**', '.n8n-local/**'] },
];
