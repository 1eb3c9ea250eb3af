/**
 * The `select`/`include` a GraphQL resolver plans for the rows it asked for (Pothos plugin-prisma).
 * Domain reads accept it and spread it into their Prisma call, so nested fields load in the same
 * query instead of one query per row. REST passes nothing and gets plain rows.
 */
export type PrismaQuery = { select?: object; include?: object };
