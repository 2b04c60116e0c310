/**
 * Prisma's case-insensitive `contains` and `equals` become PostgreSQL `ILIKE` without escaping, so
 * `%` and `_` in a caller's text would be wildcards (`search: "_"` matching every product). With
 * PostgreSQL's default escape character they match themselves.
 */
export const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, '\\$&');
