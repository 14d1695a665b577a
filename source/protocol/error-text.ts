/**
What went wrong, in words, from anything a `catch` can hold: an Error's
message, or the thrown value as a string. The one place this is written, so
every layer reports failures alike.
*/
export function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Why a file could not be opened or read, in words: the common system errors plainly, anything else by its message. */
export function fileErrorText(error: unknown): string {
	// No code (not a system error) reads as '', which no case matches.
	const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
	switch (code) {
		case 'ENOENT': {
			return 'no such file';
		}

		case 'EISDIR': {
			return 'is a directory, not a recording';
		}

		case 'EACCES':
		case 'EPERM': {
			return 'permission denied';
		}

		default: {
			return errorText(error);
		}
	}
}
