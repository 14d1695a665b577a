import {existsSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/**
The real rugs.fun captures live in ../shared/captures (third-party data: read
from there, never copied into the project). Tests that need them skip cleanly
when that folder is absent.
*/
export const capturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/captures');
export const hasCaptures = existsSync(capturesDir);

export function capturePath(name: string): string {
	return path.join(capturesDir, name);
}

/** Capture files with the given extension (e.g. '.jsonl'). */
export function captureFiles(extension: string): string[] {
	return hasCaptures ? readdirSync(capturesDir).filter(name => name.endsWith(extension)).map(name => capturePath(name)) : [];
}

export const publicFeedCapture = capturePath('public-feed-socketio-client-2025-12-12.jsonl');
export const cdpCapture = capturePath('auth-browser-cdp-2025-12-15.jsonl');
