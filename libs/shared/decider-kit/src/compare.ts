/** Orders strings by code unit, as `<` does; faster in B+ trees than the library's type-checking default. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
