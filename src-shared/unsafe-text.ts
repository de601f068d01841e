/**
 * Characters that make text show something other than what it is, as
 * character-class bodies for RegExp (one source for every check and filter).
 *
 * - C0 and C1 control characters and DEL: escape sequences, carriage returns.
 * - Unicode's bidirectional formatting characters (UAX #9 §2): the
 *   embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069 and
 *   the marks U+200E, U+200F and U+061C, which reorder what is shown
 *   ("Trojan Source", CVE-2021-42574).
 */
export const BIDI_CONTROLS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

/** Every C0 and C1 control character and DEL. */
export const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f';

/** The C0 controls except tab, line feed and carriage return (text that may span lines), plus DEL and C1. */
export const CONTROLS_BUT_LINE_BREAKS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f';
