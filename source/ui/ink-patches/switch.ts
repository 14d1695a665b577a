/** Set to 0 to run Ink exactly as it comes: no output cache, no repaint correction, Lines measured by Ink. */
export const inkPatchesVariable = 'RUGS_TUI_INK_PATCHES';

/** Whether an environment asks for the patches: yes unless the variable is 0 (or false / off). */
export function patchesWantedBy(env: NodeJS.ProcessEnv): boolean {
	const value = env[inkPatchesVariable]?.trim().toLowerCase();
	return value !== '0' && value !== 'false' && value !== 'off';
}

/** Read once, when the UI is loaded (the start of the process): nothing later changes it. */
export const patchesWanted = patchesWantedBy(process.env);

/**
How Lines hands its text to Ink right now: blanks to measure (the patch) or
the text itself. It starts as the environment says, so a component drawn
before `installInkPatches()` (a test) draws as the process will; installing
settles it after checking Ink.
*/
export const lineDrawing = {blankMeasure: patchesWanted};
