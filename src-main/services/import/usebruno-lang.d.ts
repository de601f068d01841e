// @usebruno/lang ships no types; bruno.ts declares the two functions it calls.
declare module '@usebruno/lang';
