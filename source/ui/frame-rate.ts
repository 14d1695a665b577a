/**
How often the monitor may redraw: the `--fps` default and the range that
`--fps` and the `+` / `-` keys move within. The UI owns these; the command
line checks `--fps` against them.
*/

export const defaultFps = 10;
export const minFps = 1;
export const maxFps = 60;
