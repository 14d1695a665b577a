/**
A tab whose page did not load (offline, a refused connection, a bad
certificate): Chrome shows its own error page instead, so the tab is there
and can be attached to, but no game socket will ever open in it. The CDP
source uses this to say so, and why, instead of waiting in silence for a
socket. Chrome keeps the URL it could not load as the main frame's
`unreachableUrl` (its `url` is then chrome-error://chromewebdata/), and the
reason as the error code its error page shows (net::ERR_…), also sent as
Network.loadingFailed of the Document when the load happens while attached.
*/

export type FrameInfo = {url?: unknown; unreachableUrl?: unknown; parentId?: unknown};

/** The URL a main frame failed to load, or undefined when it loaded (or is not a main frame). */
export function failedLoad(frame: FrameInfo | undefined): string | undefined {
	if (frame === undefined || frame.parentId !== undefined) {
		return undefined;
	}

	if (typeof frame.unreachableUrl === 'string' && frame.unreachableUrl !== '') {
		return frame.unreachableUrl;
	}

	return typeof frame.url === 'string' && frame.url.startsWith('chrome-error://') ? frame.url : undefined;
}

/** What the common error codes mean for the user. */
const meanings: Record<string, string> = {
	ERR_INTERNET_DISCONNECTED: 'no network connection',
	ERR_NAME_NOT_RESOLVED: 'the host name did not resolve: offline, or DNS',
	ERR_NAME_RESOLUTION_FAILED: 'the host name did not resolve: offline, or DNS',
	ERR_CONNECTION_REFUSED: 'nothing accepts connections at that address',
	ERR_CONNECTION_TIMED_OUT: 'the connection timed out',
	ERR_TIMED_OUT: 'the connection timed out',
	ERR_ADDRESS_UNREACHABLE: 'the address is unreachable',
	ERR_NETWORK_CHANGED: 'the network changed during the load',
	ERR_PROXY_CONNECTION_FAILED: 'the proxy did not answer',
	ERR_UNSAFE_PORT: 'Chrome refuses to connect to that port',
};

/** `net::ERR_CONNECTION_REFUSED` from what Chrome reports (`ERR_…`, `net::ERR_…`, or text around it); undefined when there is none. */
export function errorCodeIn(text: unknown): string | undefined {
	const match = typeof text === 'string' ? /\b(?:net::)?(ERR_[A-Z\d_]+)\b/.exec(text) : null;
	return match === null ? undefined : match[1];
}

/** One sentence: which page did not load, why, and what happens now. */
export function describeFailedLoad(url: string, errorCode: string | undefined): string {
	const meaning = errorCode === undefined ? undefined : (meanings[errorCode] ?? (errorCode.startsWith('ERR_CERT_') ? 'its certificate was refused' : undefined));
	const why = errorCode === undefined ? 'Chrome shows its error page and gave no reason' : `net::${errorCode}${meaning === undefined ? '' : ` (${meaning})`}`;
	return `the page did not load in the tab: ${url}: ${why}; no game socket can open until it does: fix the cause and reload the tab (or restart rugs-tui)`;
}

/** Evaluated in Chrome's error page: the code it shows (`.error-code`), or the one in its load-time data. */
const errorCodeExpression = 'document.querySelector(\'.error-code\')?.textContent ?? globalThis.loadTimeData?.data_?.errorCode ?? \'\'';

/** A DevTools session's command channel (./devtools-client.ts). */
type Evaluator = {send(method: string, parameters?: Record<string, unknown>): Promise<unknown>};

/** The error code of the error page the tab shows, or undefined (not an error page, or no answer in `timeoutMs`). */
export async function readErrorCode(client: Evaluator, timeoutMs = 2000): Promise<string | undefined> {
	let timer: NodeJS.Timeout | undefined;
	try {
		const answer = await Promise.race([
			client.send('Runtime.evaluate', {expression: errorCodeExpression, returnByValue: true}) as Promise<{result?: {value?: unknown}} | undefined>,
			new Promise<undefined>(resolve => {
				timer = setTimeout(() => {
					resolve(undefined);
				}, timeoutMs);
			}),
		]);
		return errorCodeIn(answer?.result?.value);
	} catch {
		return undefined;
	} finally {
		clearTimeout(timer);
	}
}
