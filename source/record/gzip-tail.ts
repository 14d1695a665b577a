import type {FileHandle} from 'node:fs/promises';
import zlib from 'node:zlib';
import {crc32, deflateEnd, gzipHeader, gzipTrailer} from './record-codec.js';

/**
Before a run appends a new gzip member to an existing `.gz` recording, its
last member must be finished: a member left open (the run before was
SIGKILLed: no final block, no trailer) would make every gzip reader read the
new member's header as deflate data and fail there, losing the new run for
standard tools.

How: find the last member rugs-tui wrote (its fixed header, searched back from
the end), and decode it.
- It ends with its trailer and nothing after it: complete, append.
- It is open: find its last flush point (a unit always ends with the empty
  stored block `00 00 ff ff` of a sync flush, and holds whole lines), cut the
  file there (only a torn write lies beyond it, which never decodes to a whole
  line), and write `03 00` plus the trailer of what the member holds, checked
  by decoding the finished member before the file is touched. A crash during
  the repair leaves an open member again, repaired by the next run.
- No member of ours within reach: fine if the whole file decodes to its end
  (a file gzip(1) made); anything else (data that does not decode, a damaged
  member) is left exactly as it is and the caller records to another file.

Members are bounded (record-target.ts starts a new one every 32 MiB of
content), so the search and the decoding are bounded too.
*/

/** How far back from the end the last member's header is looked for. */
const searchLimit = 64 * 1024 * 1024;
const chunkSize = 1024 * 1024;
/** Flush points tried (newest first) before giving up: a false `00 00 ff ff` inside compressed data is rare. */
const maxCandidates = 16;
const syncMarker = Buffer.from([0x00, 0x00, 0xFF, 0xFF]);

type GzipTail =
	| {kind: 'empty'}
	| {kind: 'complete'}
	/** The last member was open (or followed by a torn write) and is now finished; `dropped` bytes of a torn write were cut. */
	| {kind: 'repaired'; size: number; dropped: number; lines: number}
	/** Not something rugs-tui can check and close: do not append to it. */
	| {kind: 'unknown'; reason: string};

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
	const buffer = Buffer.allocUnsafe(length);
	let done = 0;
	while (done < length) {
		const {bytesRead} = await handle.read(buffer, done, length - done, position + done);
		if (bytesRead === 0) {
			break;
		}

		done += bytesRead;
	}

	return buffer.subarray(0, done);
}

/** The last member header of ours in the file: where it starts, and the bytes from there to the end. */
async function lastMember(handle: FileHandle, size: number): Promise<{start: number; bytes: Buffer} | undefined> {
	let tail = Buffer.alloc(0);
	let from = size;
	while (from > 0 && size - from < searchLimit) {
		const length = Math.min(chunkSize, from);
		from -= length;
		tail = Buffer.concat([await readAt(handle, from, length), tail]);
		const at = tail.lastIndexOf(gzipHeader);
		if (at !== -1) {
			return {start: from + at, bytes: tail.subarray(at)};
		}
	}

	return undefined;
}

function countLines(content: Buffer): number {
	let count = 0;
	let at = content.indexOf(0x0A);
	while (at !== -1) {
		count++;
		at = content.indexOf(0x0A, at + 1);
	}

	return count;
}

function decodesCompletely(bytes: Buffer): boolean {
	try {
		zlib.gunzipSync(bytes);
		return true;
	} catch {
		return false;
	}
}

/** A complete member (and its length), or undefined. */
function completeLength(member: Buffer): number | undefined {
	try {
		const {buffer: content, engine} = zlib.inflateRawSync(member.subarray(gzipHeader.length), {info: true}) as unknown as {buffer: Buffer; engine: {bytesWritten: number}};
		const end = gzipHeader.length + engine.bytesWritten;
		const trailer = member.subarray(end, end + 8);
		return trailer.length === 8 && trailer.equals(gzipTrailer(crc32(content), content.length)) ? end + 8 : undefined;
	} catch {
		return undefined;
	}
}

/** The member cut at its last good flush point and finished: [cut position, the closing bytes, lines kept]. */
function closedAtFlushPoint(member: Buffer): {cut: number; closing: Buffer; lines: number} | undefined {
	let end = member.length;
	for (let tries = 0; tries < maxCandidates; tries++) {
		const at = member.lastIndexOf(syncMarker, end - syncMarker.length);
		if (at < gzipHeader.length) {
			return undefined;
		}

		end = at;
		const cut = at + syncMarker.length;
		let content: Buffer;
		try {
			content = zlib.inflateRawSync(member.subarray(gzipHeader.length, cut), {finishFlush: zlib.constants.Z_SYNC_FLUSH});
		} catch {
			continue;
		}

		if (content.length > 0 && content.at(-1) !== 0x0A) {
			continue;
		}

		const closing = Buffer.concat([deflateEnd, gzipTrailer(crc32(content), content.length)]);
		try {
			// The finished member must decode, CRC checked, to exactly this content before the file is cut.
			if (zlib.gunzipSync(Buffer.concat([member.subarray(0, cut), closing])).equals(content)) {
				return {cut, closing, lines: countLines(content)};
			}
		} catch {
			// Not a real flush point (those bytes occurred inside compressed data): try the one before.
		}
	}

	return undefined;
}

/**
Make the `.gz` file open as `handle` (read and write, appending) end with a
finished member, or say why it cannot. Throws only what the file system throws.
*/
export async function closeGzipTail(handle: FileHandle, size: number): Promise<GzipTail> {
	if (size === 0) {
		return {kind: 'empty'};
	}

	const member = await lastMember(handle, size);
	if (member === undefined) {
		// Made by another tool (gzip(1) writes a name and a time in its header): fine if it decodes to its end.
		return size <= searchLimit && decodesCompletely(await readAt(handle, 0, size))
			? {kind: 'complete'}
			: {kind: 'unknown', reason: `no gzip member written by rugs-tui in its last ${Math.round(Math.min(size, searchLimit) / 1024 / 1024)} MiB, and it is not a complete gzip file`};
	}

	const complete = completeLength(member.bytes);
	if (complete === member.bytes.length) {
		return {kind: 'complete'};
	}

	if (complete !== undefined) {
		// A finished member followed by a torn write (the start of a member that never got a whole unit).
		await handle.truncate(member.start + complete);
		await handle.datasync();
		return {kind: 'repaired', size: member.start + complete, dropped: member.bytes.length - complete, lines: 0};
	}

	const closed = closedAtFlushPoint(member.bytes);
	if (closed === undefined) {
		return {kind: 'unknown', reason: 'its last member is damaged before its last flush point'};
	}

	await handle.truncate(member.start + closed.cut);
	// Opened for appending: this goes at the (new) end.
	await handle.write(closed.closing);
	await handle.datasync();
	return {kind: 'repaired', size: member.start + closed.cut + closed.closing.length, dropped: member.bytes.length - closed.cut, lines: closed.lines};
}
