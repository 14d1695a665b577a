import {lookup as dnsLookup} from 'node:dns/promises';
import {isIP} from 'node:net';

/**
The loopback rule of the CDP source, for every address it connects to — the
`--cdp` host and the `webSocketDebuggerUrl` the DevTools endpoint advertises —
not only for the flag: DevTools is full control of that browser, so unless
`--allow-remote-cdp` says otherwise, rugs-tui talks to this machine only.

- An IP literal is loopback when it is in 127.0.0.0/8 or is ::1 (or an IPv4
  loopback written as IPv6, ::ffff:127.x.y.z). 0.0.0.0 is not: it means "any
  interface" to a server and is no promise about where a connection goes.
- Text that looks like an IP address but is not one (127.999.999.999, 127.1,
  2130706433, 0x7f000001) is refused as invalid: the system resolver would
  read some of these as addresses and hand others to DNS.
- A host name is resolved once, here, and every address it resolves to must be
  loopback; the connection then goes to that address, never through a second
  lookup (which DNS could answer differently).
*/

type HostKind =
	| {kind: 'ip'; address: string; loopback: boolean}
	| {kind: 'name'; name: string}
	| {kind: 'invalid'; reason: string};

/** A resolver: every address a name resolves to (`dns.lookup` with `all: true`). */
export type Resolve = (name: string) => Promise<string[]>;

const systemResolve: Resolve = async name => {
	const addresses = await dnsLookup(name, {all: true, verbatim: true});
	return addresses.map(item => item.address);
};

export function isLoopbackIp(address: string): boolean {
	const version = isIP(address);
	if (version === 4) {
		return address.startsWith('127.');
	}

	if (version !== 6) {
		return false;
	}

	const lower = address.toLowerCase().replace(/%.*$/, '');
	if (lower === '::1' || /^(?:0{1,4}:){7}0{0,3}1$/.test(lower)) {
		return true;
	}

	const mapped = /^:{2}f{4}:((?:\d+\.){3}\d+)$/.exec(lower);
	return mapped !== null && isLoopbackIp(mapped[1]!);
}

/** Digits, dots and hex forms only: what a resolver may read as a (possibly abbreviated) IPv4 address. */
const numericLooking = /^(?:0x[\da-f]*|\d+)(?:\.(?:0x[\da-f]*|\d+))*\.?$/i;
/** A DNS name: labels of letters, digits and hyphens. */
const hostName = /^(?=.{1,253}\.?$)[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)*\.?$/i;

/** What a host given by the user or by a DevTools endpoint is. */
export function classifyHost(host: string): HostKind {
	const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
	if (isIP(bare) !== 0) {
		return {kind: 'ip', address: bare, loopback: isLoopbackIp(bare)};
	}

	if (bare.includes(':') || numericLooking.test(bare)) {
		return {kind: 'invalid', reason: `${JSON.stringify(host)} is not a valid IP address`};
	}

	if (!hostName.test(bare)) {
		return {kind: 'invalid', reason: `${JSON.stringify(host)} is not a valid host name`};
	}

	return {kind: 'name', name: bare.toLowerCase()};
}

/** Where to connect, after the rule: an address (an IP, or the name itself for a remote host the user allowed), or why not. */
type Checked = {ok: true; address: string} | {ok: false; reason: string; fatal: boolean};

const remoteAdvice = 'CDP is full control of that browser; add --allow-remote-cdp if you mean it';

/**
Apply the rule to one host (`what` names it in the reason). Names are
resolved with `resolve`; `cache` keeps each name's answer for the life of the
source, so that it is resolved once.
*/
export async function checkCdpHost(host: string, what: string, options: {allowRemote: boolean; resolve?: Resolve; cache?: Map<string, Promise<string[]>>}): Promise<Checked> {
	const kind = classifyHost(host);
	if (kind.kind === 'invalid') {
		return {ok: false, reason: `${what}: ${kind.reason}`, fatal: true};
	}

	if (kind.kind === 'ip') {
		return kind.loopback || options.allowRemote
			? {ok: true, address: kind.address}
			: {ok: false, reason: `${what} ${kind.address} is not a loopback address: refused (${remoteAdvice})`, fatal: true};
	}

	const resolve = options.resolve ?? systemResolve;
	let answer = options.cache?.get(kind.name);
	if (answer === undefined) {
		answer = resolve(kind.name);
		options.cache?.set(kind.name, answer);
		// A failed lookup is not kept: the next attempt asks again.
		answer.catch(() => options.cache?.delete(kind.name));
	}

	let addresses: string[];
	try {
		addresses = await answer;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException | undefined)?.code;
		return {ok: false, reason: `${what} ${kind.name} does not resolve${code === undefined ? '' : ` (${code})`}`, fatal: false};
	}

	if (addresses.length === 0) {
		return {ok: false, reason: `${what} ${kind.name} resolves to no address`, fatal: false};
	}

	if (options.allowRemote) {
		return {ok: true, address: addresses[0]!};
	}

	const remote = addresses.filter(address => !isLoopbackIp(address));
	if (remote.length > 0) {
		return {ok: false, reason: `${what} ${kind.name} resolves to ${remote.join(', ')}, not a loopback address: refused (${remoteAdvice})`, fatal: true};
	}

	return {ok: true, address: addresses[0]!};
}

/** A host for a URL: IPv6 in brackets. */
export function urlHost(address: string): string {
	return isIP(address) === 6 ? `[${address}]` : address;
}
