import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built command (tests that spawn it rely on `npm test` building first). */
export const binPath = path.join(projectRoot, 'bin/rugs-tui.js');
export const fixturesDir = path.join(projectRoot, 'fixtures');
