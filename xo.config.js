/**
The project's lint and format rules: xo (tabs, single quotes, semicolons,
`{a}` without spaces: the style the code was written in), with its React
rules. The rules switched off below are wrong for this code as a whole; a
rule wrong for one line is disabled on that line, with the reason beside it.
*/

/** @type {import('xo').FlatXoConfig} */
const config = [
	{linterOptions: {reportUnusedDisableDirectives: 'error'}},
	{ignores: ['dist/**', '.build/**', 'fixtures/**', 'coverage/**']},
	{
		react: true,
		rules: {
			// The decoder and readers check untrusted JSON by hand, then say what they found with `as`.
			'@typescript-eslint/no-unsafe-type-assertion': 'off',
			// `null` is a value of the JSON the project reads and writes (summaries, verdicts).
			'@typescript-eslint/no-restricted-types': 'off',
			// Node's globals are the platform here; importing them adds nothing.
			'n/prefer-global/process': 'off',
			'n/prefer-global/buffer': 'off',
			// The regular expressions that clean untrusted text are exact as written; flags change what they match.
			'require-unicode-regexp': 'off',
			// Comments are sentences that may start with a code name.
			'capitalized-comments': 'off',
			// Measures of shape, not of correctness: the reviewers judge those.
			'@typescript-eslint/member-ordering': 'off',
			'max-params': 'off',
			complexity: 'off',
			'max-depth': 'off',
			'@stylistic/max-len': 'off',
			// Short objects, arrays and blocks stay on one line, as the code was written; long ones break by hand.
			'@stylistic/object-curly-newline': 'off',
			'@stylistic/array-element-newline': 'off',
			'@stylistic/curly-newline': 'off',
			// Union types and ternaries break before the operator, one member per line, as written.
			'@stylistic/operator-linebreak': 'off',
			'@stylistic/indent-binary-ops': 'off',
			// Whether a function returns a promise or undefined is part of its contract here (a
			// back-pressure hook returns undefined when there is room); `async` would change it.
			'@typescript-eslint/promise-function-async': 'off',
			// Sequential awaits are the point where they appear: ordered reads and writes, waits that poll.
			'no-await-in-loop': 'off',
			// Names in code are camelCase and PascalCase (isTTY included); object keys are the wire's and the
			// environment's own (short_open, __trace, event_type, CHROME_PATH, SIGTERM), so they are not checked.
			'@typescript-eslint/naming-convention': [
				'error',
				{
					selector: ['variable', 'function', 'classProperty', 'parameterProperty', 'classMethod', 'objectLiteralMethod', 'typeMethod', 'accessor'],
					format: ['camelCase', 'PascalCase'],
					leadingUnderscore: 'allowSingleOrDouble',
					trailingUnderscore: 'allow',
				},
				{selector: 'typeLike', format: ['PascalCase']},
			],
			// chrome-remote-interface's API is a capitalised function (CDP(), CDP.List(), CDP.Version()).
			'new-cap': ['error', {capIsNewExceptions: ['CDP'], capIsNewExceptionPattern: String.raw`^CDP\.`}],
			// The new JSX transform needs no React in scope; props are never mutated by convention.
			'react/react-in-jsx-scope': 'off',
			'react/prefer-read-only-props': 'off',
		},
	},
	{
		// The command-line entry and the benchmark's child processes end with an exit code of their own.
		files: ['source/cli.tsx', 'bench/**'],
		rules: {'unicorn/no-process-exit': 'off'},
	},
	{
		// Ink's style: components are PascalCase files.
		files: ['source/ui/components/*.tsx'],
		rules: {'unicorn/filename-case': ['error', {case: 'pascalCase'}]},
	},
];

export default config;
