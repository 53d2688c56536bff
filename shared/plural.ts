/** "1 note", "3 notes"; `many` for words whose plural is not `one` + "s" ("1 match", "2 matches"). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
