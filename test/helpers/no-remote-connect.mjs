/*
Loaded into the CLI with NODE_OPTIONS=--import=<this file> by the tests of the
loopback rule: every outgoing TCP connection and every name lookup of the
process is checked BEFORE it happens. One to anywhere but loopback (127.0.0.0/8,
::1, or a Unix socket) is not made: it is written to the file named by
RUGS_TEST_CONNECT_LOG ("connect HOST:PORT" / "lookup NAME") and fails at once
as if the host were unreachable. So a test sends no packet anywhere, and fails
on the attempt itself rather than on a timeout.
*/
import {appendFileSync} from 'node:fs';
import dns from 'node:dns';
import {syncBuiltinESMExports} from 'node:module';
import net from 'node:net';

const log = process.env.RUGS_TEST_CONNECT_LOG;

function record(line) {
	if (log !== undefined && log !== '') {
		appendFileSync(log, `${line}\n`);
	}
}

function isLoopback(host) {
	const bare = String(host).replaceAll(/^\[|]$/g, '').toLowerCase();
	if (net.isIPv4(bare)) {
		return bare.startsWith('127.');
	}

	if (net.isIPv6(bare)) {
		return bare === '::1' || /^::ffff:127\./.test(bare);
	}

	return bare === 'localhost';
}

/** The options of any form of Socket#connect: (options), (port, host), (path), or the internal normalized array. */
function connectOptions(args) {
	const first = Array.isArray(args[0]) ? args[0][0] : args[0];
	if (first !== null && typeof first === 'object') {
		return first;
	}

	if (typeof first === 'string' && !/^\d+$/.test(first)) {
		return {path: first};
	}

	return {port: first, host: typeof args[1] === 'string' ? args[1] : 'localhost'};
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
	const options = connectOptions(args);
	// A Unix socket has a path; a TCP connection has none (undefined, or null as ws leaves it).
	if (typeof options.path !== 'string' || options.path === '') {
		const host = options.host ?? 'localhost';
		if (!isLoopback(host)) {
			record(`connect ${host}:${options.port}`);
			const error = Object.assign(new Error(`connect EHOSTUNREACH ${host}:${options.port} (blocked by the test: not loopback)`), {code: 'EHOSTUNREACH', syscall: 'connect', address: host, port: options.port});
			process.nextTick(() => {
				this.destroy(error);
			});
			return this;
		}
	}

	return originalConnect.apply(this, args);
};

function refusedLookup(name) {
	record(`lookup ${name}`);
	return Object.assign(new Error(`getaddrinfo ENOTFOUND ${name} (blocked by the test)`), {code: 'ENOTFOUND', hostname: name});
}

const originalLookup = dns.lookup;
dns.lookup = function (name, ...rest) {
	if (isLoopback(name) || net.isIP(String(name)) !== 0) {
		return originalLookup.call(this, name, ...rest);
	}

	const callback = rest.at(-1);
	process.nextTick(() => {
		callback(refusedLookup(name));
	});
	return undefined;
};

const originalPromiseLookup = dns.promises.lookup;
dns.promises.lookup = async function (name, ...rest) {
	if (isLoopback(name) || net.isIP(String(name)) !== 0) {
		return originalPromiseLookup.call(this, name, ...rest);
	}

	throw refusedLookup(name);
};

syncBuiltinESMExports();
