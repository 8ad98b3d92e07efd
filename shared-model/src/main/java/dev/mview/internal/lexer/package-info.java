/**
 * How mview reads SQL text: a tokenizer that skips strings, comments and numbers the way
 * PostgreSQL's lexer does, the relation references of a query (for inferred dependencies), and the
 * single-statement check. Not an API; it may change in any release.
 */
package dev.mview.internal.lexer;
