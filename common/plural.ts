// A count with its noun in the right number: "1 reply", "2 replies", "0 threads".

/** `count` and the noun: `one` for exactly 1, else `many` (the noun with an s unless given). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
