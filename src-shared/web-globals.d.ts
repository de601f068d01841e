/**
 * src-shared runs in Node and in the renderer and is compiled with neither
 * DOM nor Node types. These are the few WHATWG globals both runtimes share
 * that the pure code relies on; declaring them here keeps every other DOM or
 * Node API out of reach.
 */
declare class URL {
  constructor(url: string, base?: string | URL);
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  username: string;
  toString(): string;
}

declare function btoa(data: string): string;
declare function atob(data: string): string;
