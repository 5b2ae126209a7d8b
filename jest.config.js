/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	// Node's environment; n8n's log lines of a test are printed only when it fails.
	testEnvironment: '<rootDir>/test/helpers/quiet-environment.js',
	setupFilesAfterEnv: ['<rootDir>/test/helpers/n8nLogs.ts'],
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
		'/node_modules/(n8n-workflow/dist/cjs/expression|@n8n/expression-runtime/dist/cjs/.+|@jitl/quickjs-[^/]+/dist/index)\\.js$': '<rootDir>/test/helpers/requireDynamicImports.js',
	},
	transformIgnorePatterns: ['/node_modules/(?!(n8n-workflow/dist/cjs/expression|@n8n/expression-runtime/dist/cjs/|@jitl/quickjs-))'],
	testTimeout: 60_000,
	reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
