// Each server's colour, the same in every chart of every program's report: hexd's six models in
// full colours, the blog's three Python servers in darker ones of their own.

/** hexd's six models (Okabe-Ito, which colour-blind readers tell apart) and the blog's three Python servers. */
const COLOURS: Readonly<Record<string, string>> = {
  'blocking': '#D55E00',
  'threads': '#0072B2',
  'event-loop': '#009E73',
  'processes': '#CC79A7',
  'cluster': '#E69F00',
  'pool': '#56B4E9',
  'python-sync': '#000000',
  'python-threads': '#6B4C9A',
  'python-asyncio': '#8C6D1F',
};

/** A server's colour in every chart; one no table names gets grey. */
export function colourOf(name: string): string {
  return COLOURS[name] ?? '#777777';
}
